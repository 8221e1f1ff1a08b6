/**
 * A person's own data (GDPR access, issue 17): the export holds their profile, sessions, memberships in every
 * organization they belong to and the audit entries their own actions wrote there — not another person's, not an
 * organization they left or never joined, and never a value, a value's hash, a password hash or a TOTP secret.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { exportMyData } from "@/server/account/export";
import { addMember } from "@/server/organizations/organizations";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { withSession } from "./session-fixture";
import { db, makeOrg, type TestOrg } from "./support";

let home: TestOrg;
let second: TestOrg;
let stranger: TestOrg;
let person: Awaited<ReturnType<TestOrg["member"]>>;
const SECRET = "sk_test_51Hexportcheck0001";

beforeAll(async () => {
  home = await makeOrg();
  second = await makeOrg();
  stranger = await makeOrg();
  person = await home.member("developer");
  await addMember(db(), second.owner.userId, second.id, person.userId, "admin");
  await withSession(person);
  const asSecond = { ...person, organizationId: second.id, role: "admin" as const };
  const variable = await withContext(asSecond, (tx) =>
    createVariable(tx, asSecond, {
      name: "EXPORT_STRIPE_KEY",
      variableType: "api_key",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  await withContext(asSecond, (tx) =>
    setValue(tx, asSecond, {
      variableId: variable.id,
      environmentId: second.env.development,
      value: SECRET,
      expectedVersion: 0,
    }),
  );
  // Someone else's action in the same organization, and an organization the person never joined.
  await withContext(second.owner, (tx) =>
    createVariable(tx, second.owner, {
      name: "OWNER_ONLY_KEY",
      variableType: "api_key",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  await withContext(stranger.owner, (tx) =>
    createVariable(tx, stranger.owner, {
      name: "STRANGER_KEY",
      variableType: "api_key",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
});

describe("a person's export of their own data", () => {
  it("holds their profile, sessions, both memberships and their own audit entries", async () => {
    const data = await exportMyData(person.userId);
    expect(data.format).toBe("ringbearer.account-export/1");
    expect(data.profile).toMatchObject({ id: person.userId, email: person.email, twoFactorSince: null });
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.organizations.map((o) => [o.organization, o.role]).sort()).toEqual(
      [
        [home.slug, "developer"],
        [second.slug, "admin"],
      ].sort(),
    );
    const there = data.organizations.find((o) => o.organization === second.slug);
    const actions = there?.audit.map((a) => `${a.action} ${a.resourceType} ${a.variable ?? ""}`) ?? [];
    expect(actions).toContain("create variable EXPORT_STRIPE_KEY");
    expect(actions.some((a) => a.includes("value") && a.includes("EXPORT_STRIPE_KEY"))).toBe(true);
  });

  it("leaves out other people's entries, other organizations, values, hashes and secrets", async () => {
    const text = JSON.stringify(await exportMyData(person.userId));
    expect(text).not.toContain("OWNER_ONLY_KEY");
    expect(text).not.toContain("STRANGER_KEY");
    expect(text).not.toContain(stranger.slug);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/value_hash|valueHash|password|totp_secret|\$argon2/i);
  });

  it("is another person's own too: the organization's owner sees only theirs", async () => {
    const owner = await exportMyData(second.owner.userId);
    const actions = owner.organizations.flatMap((o) => o.audit.map((a) => a.variable));
    expect(actions).toContain("OWNER_ONLY_KEY");
    expect(actions).not.toContain("EXPORT_STRIPE_KEY");
  });
});
