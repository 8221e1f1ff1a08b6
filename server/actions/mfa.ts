"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { qrDataUri } from "@/lib/qr";
import { groupSecret, normalizeCode } from "@/lib/totp";
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, reauthenticate } from "@/server/auth/mfa";
import { userAction } from "@/server/entry/action";
import { log } from "@/server/log";

const code = z
  .string({ error: "Enter the 6-digit code from your app" })
  .refine((v) => normalizeCode(v) !== null, "Enter the 6-digit code from your app");
const optionalCode = z
  .string()
  .trim()
  .max(32)
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || normalizeCode(v) !== null, "Enter the 6-digit code from your app");
const optionalPassword = z
  .string()
  .max(1024)
  .optional()
  .transform((v) => v || undefined);
const proof = z
  .object({ password: optionalPassword, code: optionalCode })
  .refine((v) => v.password || v.code, { message: "Enter your password or a code", path: ["password"] });

/** Starts two-factor enrolment: the secret and its otpauth:// URI, shown once to their owner. */
export const beginTotpAction = userAction({
  call: "none",
  input: z.object({}),
  capability: "signed-in",
  run: async (ctx) => {
    const { secret, uri } = await beginTotpEnrolment(getDb(), ctx);
    log.info({ event: "totp_enrolment_started", userId: ctx.userId }, "two-factor enrolment started");
    return { secret: groupSecret(secret), uri, qr: await qrDataUri(uri) };
  },
});

export const confirmTotpAction = userAction({
  call: "form",
  input: z.object({ code }),
  capability: "signed-in",
  run: async (ctx, i) => {
    const result = await confirmTotpEnrolment(getDb(), ctx, i.code);
    log.info({ event: "totp_enabled", userId: ctx.userId }, "two-factor authentication turned on");
    return result;
  },
});

export const disableTotpAction = userAction({
  call: "form",
  input: proof,
  capability: "signed-in",
  run: async (ctx, i) => {
    const result = await disableTotp(getDb(), ctx, i);
    log.info({ event: "totp_disabled", userId: ctx.userId }, "two-factor authentication turned off");
    return result;
  },
});

/** Step-up: proves it is still you (password or code); the session counts as verified for five minutes. */
export const reauthenticateAction = userAction({
  call: "input",
  input: proof,
  capability: "signed-in",
  run: async (ctx, i) => {
    const result = await reauthenticate(getDb(), ctx, i);
    log.info({ event: "reauthenticated", userId: ctx.userId, with: i.code ? "code" : "password" }, "step-up");
    return result;
  },
});
