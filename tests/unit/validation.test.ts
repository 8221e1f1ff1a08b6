import { describe, expect, it } from "vitest";
import { policyInput } from "@/lib/validation/access";
import { environmentInput } from "@/lib/validation/environments";
import { invitationInput, joinInput, passwordAcceptInput } from "@/lib/validation/invitations";
import { blackoutInput, timeZoneInput, weeklyWindowInput } from "@/lib/validation/settings";
import { targetInput, targetSettings } from "@/lib/validation/targets";
import { valueInput, variableInput } from "@/lib/validation/variables";

const fieldErrors = (result: { success: boolean; error?: { flatten(): { fieldErrors: object } } }) =>
  result.success ? {} : (result.error?.flatten().fieldErrors ?? {});

const variable = {
  name: "STRIPE_SECRET_KEY",
  variableType: "api_key",
  securityClassification: "confidential",
  isWeddingCritical: "on",
  tags: "Payments, stripe, payments",
};

describe("variable input", () => {
  it("accepts a form submission and normalises it", async () => {
    const parsed = await variableInput.parseAsync({
      ...variable,
      name: "  STRIPE_SECRET_KEY ",
      description: "  ",
    });
    expect(parsed).toMatchObject({
      name: "STRIPE_SECRET_KEY",
      isWeddingCritical: true,
      isRequired: false,
      description: undefined,
      tags: ["payments", "stripe"],
    });
  });

  it("names the field and the fix for a bad name", async () => {
    for (const name of ["stripe_key", "1KEY", "KEY-NAME", "", "A B"]) {
      const errors = fieldErrors(await variableInput.safeParseAsync({ ...variable, name }));
      expect(errors).toHaveProperty("name");
    }
    const errors = fieldErrors(await variableInput.safeParseAsync({ ...variable, name: "stripe" })) as Record<
      string,
      string[]
    >;
    expect(errors.name[0]).toMatch(/UPPER_SNAKE_CASE/);
  });

  it("rejects unknown types and classifications", async () => {
    expect(
      fieldErrors(await variableInput.safeParseAsync({ ...variable, variableType: "password" })),
    ).toHaveProperty("variableType");
    expect(
      fieldErrors(await variableInput.safeParseAsync({ ...variable, securityClassification: "secret" })),
    ).toHaveProperty("securityClassification");
  });

  it("rejects an invalid validation pattern and bad tags", async () => {
    expect(
      fieldErrors(await variableInput.safeParseAsync({ ...variable, validationPattern: "([a-z" })),
    ).toHaveProperty("validationPattern");
    expect(
      fieldErrors(await variableInput.safeParseAsync({ ...variable, tags: "ok, not ok!" })),
    ).toHaveProperty("tags");
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`).join(",");
    expect(fieldErrors(await variableInput.safeParseAsync({ ...variable, tags: many }))).toHaveProperty(
      "tags",
    );
  });

  it("refuses a pattern it cannot prove safe, without blocking, with a field error", async () => {
    const started = performance.now();
    const parsing = variableInput.safeParseAsync({ ...variable, validationPattern: "^(\\w+\\s?){1,20}$" });
    expect(performance.now() - started).toBeLessThan(100);
    expect(fieldErrors(await parsing)).toEqual({
      validationPattern: [expect.stringMatching(/too complex to prove safe/)],
    });
  }, 20_000);
});

describe("value input", () => {
  it("keeps the value exactly, whitespace and newlines included", () => {
    const parsed = valueInput.parse({ value: "  -----BEGIN KEY-----\nabc\n", expectedVersion: "3" });
    expect(parsed).toMatchObject({ value: "  -----BEGIN KEY-----\nabc\n", expectedVersion: 3 });
  });

  it("rejects values over 64 KiB and a missing or negative version", () => {
    expect(
      fieldErrors(valueInput.safeParse({ value: "x".repeat(65537), expectedVersion: 0 })),
    ).toHaveProperty("value");
    expect(valueInput.safeParse({ value: "x", expectedVersion: "-1" }).success).toBe(false);
    expect(valueInput.safeParse({ value: "x", expectedVersion: "abc" }).success).toBe(false);
  });
});

describe("environment input", () => {
  const env = { name: "qa", displayName: "QA", environmentType: "testing" };

  it("accepts a minimal environment", () => {
    expect(environmentInput.parse(env)).toMatchObject({ name: "qa", weddingDayProtection: false });
  });

  it("rejects upper-case names, unknown types and non-http URLs", () => {
    expect(fieldErrors(environmentInput.safeParse({ ...env, name: "QA" }))).toHaveProperty("name");
    expect(fieldErrors(environmentInput.safeParse({ ...env, environmentType: "prod" }))).toHaveProperty(
      "environmentType",
    );
    expect(
      fieldErrors(environmentInput.safeParse({ ...env, deploymentUrl: "javascript:alert(1)" })),
    ).toHaveProperty("deploymentUrl");
  });
});

describe("settings input", () => {
  it("accepts IANA zones only", () => {
    expect(timeZoneInput.safeParse({ timeZone: "Europe/London" }).success).toBe(true);
    expect(timeZoneInput.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
  });

  it("accepts the default wedding window and rejects impossible times", () => {
    const window = { startDay: "5", startTime: "18:00", endDay: "7", endTime: "24:00" };
    expect(weeklyWindowInput.parse(window)).toMatchObject({ startDay: 5, endDay: 7 });
    expect(fieldErrors(weeklyWindowInput.safeParse({ ...window, startTime: "24:00" }))).toHaveProperty(
      "startTime",
    );
    expect(fieldErrors(weeklyWindowInput.safeParse({ ...window, endTime: "25:00" }))).toHaveProperty(
      "endTime",
    );
    expect(fieldErrors(weeklyWindowInput.safeParse({ ...window, startDay: "8" }))).toHaveProperty("startDay");
  });

  it("requires a blackout to end after it starts and to have a reason", () => {
    const blackout = { startsAt: "2026-06-06T08:00", endsAt: "2026-06-07T02:00", reason: "Big wedding" };
    expect(blackoutInput.safeParse(blackout).success).toBe(true);
    expect(fieldErrors(blackoutInput.safeParse({ ...blackout, endsAt: "2026-06-06T07:00" }))).toHaveProperty(
      "endsAt",
    );
    expect(fieldErrors(blackoutInput.safeParse({ ...blackout, reason: " " }))).toHaveProperty("reason");
  });
});

describe("access policy time window", () => {
  const grant = {
    subject: "role",
    role: "viewer",
    permission: "read",
    scope: "all",
    environments: "production",
  };
  const errorsOf = (extra: Record<string, string>) =>
    fieldErrors(policyInput.safeParse({ ...grant, ...extra })) as Record<string, string[]>;

  it("stores nothing for no window, and days and hours as given", () => {
    expect(policyInput.parse(grant).timeRestriction).toEqual({});
    expect(policyInput.parse({ ...grant, days: "1,2,3,4,5,6,7" }).timeRestriction).toEqual({});
    expect(
      policyInput.parse({ ...grant, days: "5,1,3,3", from: "09:00", to: "18:00" }).timeRestriction,
    ).toEqual({ days: [1, 3, 5], from: "09:00", to: "18:00" });
    expect(policyInput.parse({ ...grant, days: "6,7" }).timeRestriction).toEqual({ days: [6, 7] });
    expect(
      policyInput.parse({ ...grant, days: "1,2,3,4,5,6,7", from: "22:00", to: "06:00" }).timeRestriction,
    ).toEqual({ from: "22:00", to: "06:00" });
  });

  it("names the field and the fix for a bad window", () => {
    expect(errorsOf({ days: "1", from: "9:00", to: "18:00" })).toHaveProperty("from");
    expect(errorsOf({ days: "1", from: "09:00", to: "24:00" })).toHaveProperty("to");
    expect(errorsOf({ days: "1", from: "09:00" }).to[0]).toMatch(/end time too/);
    expect(errorsOf({ days: "1", to: "18:00" }).from[0]).toMatch(/start time too/);
    expect(errorsOf({ days: "1", from: "09:00", to: "09:00" }).to[0]).toMatch(/differ/);
    expect(errorsOf({ from: "09:00", to: "18:00" }).days[0]).toMatch(/at least one day/);
    expect(Object.keys(errorsOf({ days: "0,8" })).join()).toMatch(/days/);
    expect(errorsOf({ days: "1", from: "09:00", to: "18:00; drop table" })).toHaveProperty("to");
  });
});

describe("invitation input", () => {
  it("normalises the email and requires a known role", () => {
    expect(invitationInput.parse({ email: "  NewComer@Demo.TEST ", role: "developer" })).toEqual({
      email: "newcomer@demo.test",
      role: "developer",
    });
    expect(
      fieldErrors(invitationInput.safeParse({ email: "not-an-email", role: "developer" })),
    ).toHaveProperty("email");
    expect(fieldErrors(invitationInput.safeParse({ email: "a@b.test", role: "superuser" }))).toHaveProperty(
      "role",
    );
  });

  it("asks a new account for a name and a confirmed password of 12 characters or more", () => {
    const token = "a".repeat(43);
    const ok = { token, name: "New Comer", password: "long enough pass", confirm: "long enough pass" };
    expect(passwordAcceptInput.safeParse(ok).success).toBe(true);
    expect(
      fieldErrors(passwordAcceptInput.safeParse({ ...ok, password: "short", confirm: "short" })),
    ).toHaveProperty("password");
    expect(fieldErrors(passwordAcceptInput.safeParse({ ...ok, confirm: "something else" }))).toHaveProperty(
      "confirm",
    );
    expect(fieldErrors(passwordAcceptInput.safeParse({ ...ok, name: "  " }))).toHaveProperty("name");
    expect(fieldErrors(passwordAcceptInput.safeParse({ ...ok, token: "../../etc" }))).toHaveProperty("token");
    expect(joinInput.safeParse({ token: `${token}x` }).success).toBe(false);
  });
});

describe("sync target input", () => {
  const base = {
    environmentId: "6f1c2d7e-2a8b-4c1d-9e3f-0a1b2c3d4e5f",
    name: "web-1",
    kind: "http",
    scanIntervalMinutes: "15",
  };
  it("takes a receiver URL and refuses one carrying credentials, which would be stored and audited", () => {
    expect(targetInput.safeParse({ ...base, location: "http://10.0.0.5:4400" }).success).toBe(true);
    const withCredentials = targetInput.safeParse({ ...base, location: "https://deploy:hunter2@10.0.0.5" });
    expect(withCredentials.error?.flatten().fieldErrors.location).toEqual([
      "Leave credentials out of the URL: the shared secret authenticates the console",
    ]);
  });
  it("takes a relative .env path and a secret of at least 32 characters", () => {
    const file = { ...base, kind: "dotenv_file", location: "web/production.env" };
    expect(targetInput.safeParse(file).success).toBe(true);
    expect(
      targetInput.safeParse({ ...file, secret: "short" }).error?.flatten().fieldErrors.secret,
    ).toHaveLength(1);
  });
  it("reads auto-push from its checkbox: off unless ticked", () => {
    const file = { ...base, kind: "dotenv_file", location: "web/production.env" };
    expect(targetInput.parse(file).autoPush).toBe(false);
    expect(targetInput.parse({ ...file, autoPush: "on" }).autoPush).toBe(true);
  });
});

describe("sync target settings", () => {
  const base = {
    id: "6f1c2d7e-2a8b-4c1d-9e3f-0a1b2c3d4e5f",
    version: "3",
    name: "web-1",
    kind: "http",
    location: "http://10.0.0.5:4400",
    scanIntervalMinutes: "15",
  };
  it("need the version the form was opened on, and check the location against the kind", () => {
    expect(targetSettings.parse(base)).toMatchObject({ version: 3, autoPush: false, deleteUnmanaged: false });
    expect(targetSettings.safeParse({ ...base, version: "" }).success).toBe(false);
    expect(
      targetSettings.safeParse({ ...base, kind: "dotenv_file" }).error?.flatten().fieldErrors.location,
    ).toEqual([
      "Use letters, digits, . _ - and / only: a path under your organization's target folder, e.g. web/production.env",
    ]);
  });
  it("take a .env location only from the strict allow-list, saying what is wrong", () => {
    const problem = (location: string) =>
      targetSettings.safeParse({ ...base, kind: "dotenv_file", location }).error?.flatten().fieldErrors
        .location;
    expect(problem("web/production.env")).toBeUndefined();
    expect(problem("  shop/.env  ")).toBeUndefined(); // trimmed
    expect(problem("../other/x.env")).toEqual(["No . or .. in the path"]);
    expect(problem("/srv/x.env")).toEqual([
      "A path relative to your organization's target folder, without a leading /",
    ]);
    expect(problem("web/")).toEqual(["No empty folder names (a doubled / or a trailing /)"]);
    expect(problem("web\\x.env")).toEqual(["Separate folders with /, not \\"]);
    expect(problem("..\u2215x.env")).toEqual([
      "Use plain ASCII letters, digits, . _ - and / only (look-alike characters are refused)",
    ]);
    expect(problem("x.env\u0000")).toContain("A path cannot contain a NUL character");
    expect(problem("%2e%2e/x.env")).toHaveLength(1);
    expect(problem(`${"a/".repeat(16)}x.env`)).toEqual(["At most 16 folders deep"]);
  });
  it("never carry a secret or an environment (those are not settings)", () => {
    const parsed = targetSettings.parse({ ...base, secret: "x".repeat(40), environmentId: base.id });
    expect(parsed).not.toHaveProperty("secret");
    expect(parsed).not.toHaveProperty("environmentId");
  });
});
