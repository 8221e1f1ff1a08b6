import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { listFilters, searchText } from "@/lib/search-params";
import { policyInput } from "@/lib/validation/access";
import { auditFilters } from "@/lib/validation/audit";
import { hasUnsafeCharacters, isOrganizationSlug, unsafeInputPaths } from "@/lib/validation/characters";
import { isCalendarDay, isLocalDateTime } from "@/lib/validation/dates";
import { environmentInput } from "@/lib/validation/environments";
import { invitationInput, passwordAcceptInput } from "@/lib/validation/invitations";
import { blackoutInput, timeZoneInput, weeklyWindowInput } from "@/lib/validation/settings";
import { targetInput, targetSecret } from "@/lib/validation/targets";
import { valueInput, variableInput } from "@/lib/validation/variables";

const NUL = "a\u0000b";
const LONE_HIGH = "x\ud800";
const LONE_LOW = "\udc00y";

// Async: the variable schema proves validation patterns safe off the event loop.
const errorsOf = async (schema: z.ZodType, input: unknown) => {
  const parsed = await schema.safeParseAsync(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message]));
};

/** One valid input per schema, and the string fields to spoil in it. */
const SCHEMAS: [string, z.ZodType, Record<string, unknown>, string[]][] = [
  [
    "variable",
    variableInput,
    { name: "API_KEY", variableType: "api_key", securityClassification: "internal", tags: "a" },
    ["displayName", "description", "validationPattern"],
  ],
  ["value", valueInput, { value: "v", expectedVersion: "0", note: "n" }, ["value", "note"]],
  [
    "environment",
    environmentInput,
    { name: "qa", displayName: "QA", environmentType: "testing", description: "d", deploymentBranch: "main" },
    ["displayName", "description", "deploymentBranch"],
  ],
  [
    "target",
    targetInput,
    {
      environmentId: "00000000-0000-4000-8000-000000000000",
      name: "web",
      kind: "dotenv_file",
      location: "web/prod.env",
      scanIntervalMinutes: "60",
      secret: "s".repeat(40),
    },
    ["secret", "location"],
  ],
  [
    "target secret",
    targetSecret,
    { id: "00000000-0000-4000-8000-000000000000", secret: "s".repeat(40) },
    ["secret"],
  ],
  [
    "blackout",
    blackoutInput,
    { startsAt: "2026-06-06T08:00", endsAt: "2026-06-07T02:00", reason: "Wedding" },
    ["reason"],
  ],
  [
    "window",
    weeklyWindowInput,
    { startDay: "5", startTime: "18:00", endDay: "7", endTime: "24:00", label: "l" },
    ["label"],
  ],
  ["time zone", timeZoneInput, { timeZone: "UTC" }, ["timeZone"]],
  ["invitation", invitationInput, { email: "a@b.example", role: "viewer" }, ["email"]],
  [
    "new account",
    passwordAcceptInput,
    { token: "A".repeat(43), name: "Ann", password: "p".repeat(12), confirm: "p".repeat(12) },
    ["name", "password"],
  ],
  [
    "grant",
    policyInput,
    { subject: "user", email: "a@b.example", permission: "read", scope: "variable", variable: "API_KEY" },
    ["email", "variable"],
  ],
  [
    "audit filters",
    auditFilters,
    { user: "a@b.example", variable: "API_KEY", environment: "prod" },
    ["user", "variable", "environment"],
  ],
];

describe("strings that cannot be stored", () => {
  it("are NUL and surrogates without their pair; paired surrogates (emoji) are fine", async () => {
    for (const s of [NUL, LONE_HIGH, LONE_LOW, "\udc00\ud800"]) expect(hasUnsafeCharacters(s)).toBe(true);
    for (const s of ["plain", "wedding 💍", "é\u00e9", "\t\n"]) expect(hasUnsafeCharacters(s)).toBe(false);
  });

  it.each(SCHEMAS)(
    "are refused by the %s schema in every string field",
    async (_name, schema, valid, fields) => {
      expect(await errorsOf(schema, valid)).toEqual({});
      for (const field of fields)
        for (const bad of [NUL, LONE_HIGH, LONE_LOW])
          expect(
            await errorsOf(schema, { ...valid, [field]: bad }),
            `${field} = ${JSON.stringify(bad)}`,
          ).toHaveProperty(field);
    },
  );

  it("are found anywhere in an input, values and keys, with the field's path", async () => {
    expect(unsafeInputPaths({ a: "ok", b: [1, { c: NUL }], d: { [LONE_HIGH]: 1 }, e: new Date(0) })).toEqual([
      "b.1.c",
      "d",
    ]);
    expect(unsafeInputPaths(NUL)).toEqual(["form"]);
    expect(unsafeInputPaths({ text: "x".repeat(1000), n: 1, nothing: null })).toEqual([]);
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(unsafeInputPaths(deep)).toEqual(["form"]);
  });

  it("never make an organization slug", async () => {
    for (const slug of ["demo", "org-1a2b", "a"]) expect(isOrganizationSlug(slug)).toBe(true);
    for (const slug of [NUL, "De", "-x", "a".repeat(64), "a/b", "", 42, null])
      expect(isOrganizationSlug(slug)).toBe(false);
  });
});

describe("dates", () => {
  it("are real calendar days", async () => {
    for (const d of ["2024-02-29", "2025-12-31", "1999-01-01"]) expect(isCalendarDay(d)).toBe(true);
    for (const d of [
      "2025-02-31",
      "2025-02-29",
      "2025-13-01",
      "2025-00-10",
      "0000-01-01",
      "2025-1-1",
      "10000-01-01",
    ])
      expect(isCalendarDay(d), d).toBe(false);
    expect(isLocalDateTime("2026-06-06T23:59")).toBe(true);
    for (const d of ["2025-02-31T10:00", "2026-06-06T24:00", "2026-06-06T10:60", "2026-06-06 10:00"])
      expect(isLocalDateTime(d), d).toBe(false);
  });

  it("in audit filters: an impossible day is a field error, not a database error", async () => {
    expect(await errorsOf(auditFilters, { from: "2025-02-31" })).toHaveProperty("from");
    expect(await errorsOf(auditFilters, { to: "2025-13-01" })).toHaveProperty("to");
    expect(await errorsOf(auditFilters, { from: "0000-01-01" })).toHaveProperty("from");
    expect(auditFilters.parse({ from: "2024-02-29", to: "" })).toMatchObject({
      from: "2024-02-29",
      to: undefined,
    });
  });

  it("in grants and blackouts: impossible dates are field errors, and a blackout lasts at most 14 days", async () => {
    const grant = {
      subject: "role",
      role: "viewer",
      permission: "read",
      scope: "all",
      environments: "staging",
    };
    expect(await errorsOf(policyInput, { ...grant, expiresAt: "2999-02-30" })).toHaveProperty("expiresAt");
    const blackout = { startsAt: "2026-06-06T08:00", endsAt: "2026-06-07T02:00", reason: "Wedding" };
    expect(await errorsOf(blackoutInput, { ...blackout, startsAt: "2026-02-31T08:00" })).toHaveProperty(
      "startsAt",
    );
    expect(await errorsOf(blackoutInput, { ...blackout, endsAt: "2026-06-07T25:00" })).toHaveProperty(
      "endsAt",
    );
    expect(await errorsOf(blackoutInput, { ...blackout, endsAt: "9999-12-31T23:59" })).toHaveProperty(
      "endsAt",
    );
    expect(await errorsOf(blackoutInput, { ...blackout, endsAt: "2026-06-20T08:00" })).toEqual({});
    expect(await errorsOf(blackoutInput, { ...blackout, endsAt: "2026-06-20T08:01" })).toHaveProperty(
      "endsAt",
    );
  });
});

describe("lengths and numbers", () => {
  it("every string field has a maximum that fits its column", async () => {
    const long = (n: number) => "x".repeat(n);
    expect(await errorsOf(timeZoneInput, { timeZone: long(100_000) })).toHaveProperty("timeZone");
    expect(await errorsOf(auditFilters, { user: long(321) })).toHaveProperty("user");
    expect(
      await errorsOf(passwordAcceptInput, {
        token: "A".repeat(43),
        name: "A",
        password: long(1025),
        confirm: long(1025),
      }),
    ).toHaveProperty("password");
    expect(
      await errorsOf(weeklyWindowInput, {
        startDay: "5",
        startTime: "18:00",
        endDay: "7",
        endTime: "24:00",
        label: long(101),
      }),
    ).toHaveProperty("label");
  });

  it("versions fit PostgreSQL's integer", async () => {
    expect(await errorsOf(valueInput, { value: "v", expectedVersion: "2147483647" })).toEqual({});
    expect(await errorsOf(valueInput, { value: "v", expectedVersion: "2147483648" })).toHaveProperty(
      "expectedVersion",
    );
    expect(await errorsOf(valueInput, { value: "v", expectedVersion: "1e400" })).toHaveProperty(
      "expectedVersion",
    );
  });
});

describe("page search parameters", () => {
  it("drop a NUL or a lone surrogate instead of taking it to the database", async () => {
    expect(listFilters({ q: " stripe ", tag: NUL, type: LONE_HIGH, status: ["a", "b"] }, 100)).toEqual({
      q: "stripe",
      tag: undefined,
      type: undefined,
      classification: undefined,
      status: undefined,
    });
    expect(searchText("x".repeat(300), 100)).toHaveLength(100);
  });
});
