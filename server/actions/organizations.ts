"use server";

import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import {
  deleteInput,
  eraseAccountInput,
  organizationInput,
  renameInput,
  restoreInput,
  signUpInput,
  transferInput,
} from "@/lib/validation/organizations";
import { eraseMyAccount } from "@/server/account/erasure";
import { newOrganizationLimit, reserve, signupLimit } from "@/server/auth/rate-limits";
import { orgAction, publicAction, userAction } from "@/server/entry/action";
import { deleteOrganization, restoreOrganization } from "@/server/organizations/deletion";
import {
  createOwnOrganization,
  renameOrganization,
  signUp,
  transferOwnership,
} from "@/server/organizations/self-service";
import { currentUser, requestInfo } from "@/server/session";

/** Open sign-up: an account and the organization it owns; the form signs the new account in after. */
export const signUpAction = publicAction({
  call: "form",
  input: signUpInput,
  capability: "public",
  run: async (input) => {
    if (await currentUser())
      throw new AppError("validation", { form: ["Sign out first to create an account."] });
    const info = await requestInfo();
    const slot = await reserve(getDb(), signupLimit(info.ip));
    if (!slot.ok) throw new AppError("rate_limited");
    return signUp(getDb(), info, input);
  },
});

/** A signed-in user adds an organization they own (the header's organization menu). */
export const createOrganizationAction = userAction({
  call: "form",
  input: organizationInput,
  capability: "signed-in",
  run: async (ctx, input) => {
    const slot = await reserve(getDb(), newOrganizationLimit(ctx.userId));
    if (!slot.ok) throw new AppError("rate_limited");
    return createOwnOrganization(getDb(), ctx, input);
  },
});

/** The owner renames the organization. */
export const renameOrganizationAction = orgAction({
  call: "form",
  input: renameInput,
  capability: "organization:manage",
  revalidate: "/settings",
  run: (tx, ctx, input) => renameOrganization(tx, ctx, input),
});

/** The owner hands the organization to another member (after signing in again recently). */
export const transferOwnershipAction = orgAction({
  call: "form",
  input: transferInput,
  capability: "organization:manage",
  revalidate: "/settings",
  run: (tx, ctx, input) => transferOwnership(tx, ctx, input),
});

/** The owner deletes the organization (after signing in again recently, its URL name typed): 30 days to undo. */
export const deleteOrganizationAction = orgAction({
  call: "form",
  input: deleteInput,
  capability: "organization:manage",
  run: (tx, ctx, input) => deleteOrganization(tx, ctx, input),
});

/** An owner restores a deleted organization within its 30 days. */
export const restoreOrganizationAction = userAction({
  call: "form",
  input: restoreInput,
  capability: "signed-in",
  run: (ctx, input) => restoreOrganization(ctx, input),
});

/** A person erases their own account (after signing in again recently, their e-mail address typed). */
export const eraseAccountAction = userAction({
  call: "form",
  input: eraseAccountInput,
  capability: "signed-in",
  run: (ctx, input) => eraseMyAccount(ctx, input),
});
