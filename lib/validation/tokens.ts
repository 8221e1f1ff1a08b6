import { z } from "zod";
import { DEFAULT_TOKEN_DAYS, isCidr, MAX_TOKEN_DAYS, TOKEN_ACCESS } from "../service-tokens";
import { optionalText, requiredText, safeString } from "./fields";

/** A whole number of days a token lives, 1 to MAX_TOKEN_DAYS. */
const days = () =>
  z.coerce
    .number({ error: `Enter a number of days from 1 to ${MAX_TOKEN_DAYS}` })
    .int(`Enter a number of days from 1 to ${MAX_TOKEN_DAYS}`)
    .min(1, `Enter a number of days from 1 to ${MAX_TOKEN_DAYS}`)
    .max(MAX_TOKEN_DAYS, `Enter a number of days from 1 to ${MAX_TOKEN_DAYS}`);

/** A list from JSON (an array) or from a form (repeated fields, or one field split at commas and spaces). */
const listOf = <T extends z.ZodType>(item: T, max: number, tooMany: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
    z.array(item, { error: "Expected a list" }).max(max, tooMany),
  );

/** A new service token: its name, the environments it reads (by name), read or read-write, how long it lives. */
export const serviceTokenInput = z.object({
  name: requiredText(100, "Name"),
  environments: z.preprocess(
    (v) => (typeof v === "string" ? [v] : (v ?? [])),
    z
      .array(safeString(64, "Choose an environment"), { error: "Choose at least one environment" })
      .min(1, "Choose at least one environment")
      .max(50, "Choose at most 50 environments"),
  ),
  access: z.enum(TOKEN_ACCESS, { error: "Choose client, read or read-write" }),
  expiresInDays: days().default(DEFAULT_TOKEN_DAYS),
  namePrefix: optionalText(255),
  tag: optionalText(64),
  allowedCidrs: listOf(
    safeString(64).trim().refine(isCidr, { error: "Enter address ranges such as 10.20.0.0/16" }),
    20,
    "Enter at most 20 address ranges",
  ).default([]),
});

export type ServiceTokenInput = z.output<typeof serviceTokenInput>;

/** The longest a service token of the organization may live (Tokens page, settings:manage). */
export const tokenLifetimeInput = z.object({ maxTokenDays: days() });

/** A value written with a read-write token (`PUT /api/v1/environments/{name}/values/{key}`). */
export const tokenValueInput = z.object({
  value: safeString(65536, "Enter a value"),
  note: optionalText(500),
});

/** A page of the API's variable list: after the last name of the previous page, up to `limit` (1–1000). */
export const variablePageQuery = z.object({
  after: optionalText(255),
  limit: z.coerce
    .number({ error: "Enter a number from 1 to 1000" })
    .int("Enter a number from 1 to 1000")
    .min(1, "Enter a number from 1 to 1000")
    .max(1000, "Enter a number from 1 to 1000")
    .default(500),
});

/** `ringbearer login` starts: the name of the machine it runs on (shown to the person who approves). */
export const cliLoginStartInput = z.object({ client: optionalText(100) });

/** `ringbearer login` polls with its device code. */
export const cliLoginPollInput = z.object({
  deviceCode: safeString(64, "Send the deviceCode the login began with"),
});

/** A person approves or denies a CLI login in the console: the code it shows, environments and an access. */
export const cliLoginDecision = z.object({
  code: requiredText(20, "Code"),
  decision: z.enum(["approve", "deny"], { error: "Approve or deny" }),
  environments: z.preprocess(
    (v) => (typeof v === "string" ? [v] : (v ?? [])),
    z.array(safeString(64)).max(50),
  ),
  // A CLI reads or writes values: a client token (destinations only) is no use to it.
  access: z.enum(["read", "read-write"], { error: "Choose read or read-write" }).default("read"),
});
