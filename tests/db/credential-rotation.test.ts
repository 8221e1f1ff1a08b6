/**
 * Credential rotation reminders (issue 16): a variable's rotation interval; a value's `last_rotated_at` stamped
 * by the database when the value changes (not when it is only re-encrypted, not when another column changes,
 * and not settable by the app); values past their interval are due in the matrix and in environment health.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentHealth } from "@/db/repos/health";
import { matrixPage } from "@/db/repos/matrix";
import { environmentVariables, environmentVariableValues } from "@/db/schema";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { updateVariable } from "@/server/variables/variables";
import { rawSql } from "./support";
import { valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;

const stamp = async (name: string) => {
  const [row] = await withContext(f.org.owner, (tx) =>
    tx
      .select({ at: environmentVariableValues.lastRotatedAt, version: environmentVariableValues.version })
      .from(environmentVariableValues)
      .where(
        and(
          eq(environmentVariableValues.variableId, f.ids[name]),
          eq(environmentVariableValues.environmentId, f.org.env.staging),
        ),
      ),
  );
  return row;
};
/** Moves a value's last change back in time, behind the app's back (as the superuser, triggers off). */
async function age(name: string, days: number, hours = 0) {
  const su = rawSql("super");
  try {
    await su.begin(async (t) => {
      await t`set local session_replication_role = replica`;
      await t`update environment_variable_values
                 set last_rotated_at = now() - make_interval(days => ${days}, hours => ${hours})
               where variable_id = ${f.ids[name]} and environment_id = ${f.org.env.staging}`;
    });
  } finally {
    await su.end();
  }
}
const stagingHealth = async () =>
  (await environmentHealth(f.org.owner)).find((e) => e.id === f.org.env.staging)?.health;
const stagingCell = async (name: string) => {
  const page = await matrixPage(f.org.owner, { offset: 0, limit: 100, q: name });
  const column = page.environments.findIndex((e) => e.id === f.org.env.staging);
  return page.rows.find((r) => r.name === name)?.cells[column];
};

beforeAll(async () => {
  f = await valueFixture();
});

describe("a value's last rotation", () => {
  it("is stamped when the value changes, and only then", async () => {
    const first = await stamp("SESSION_SECRET");
    expect(first.at).toBeInstanceOf(Date);
    await age("SESSION_SECRET", 10);
    const aged = await stamp("SESSION_SECRET");
    // Another column changing is not a rotation; the app cannot set the stamp itself.
    const app = rawSql("app");
    try {
      await app.begin(async (t) => {
        await t`select set_config('app.user_id', ${f.org.owner.userId}, true),
                       set_config('app.organization_id', ${f.org.id}, true)`;
        await t`update environment_variable_values
                 set change_note = 'a note', version = version + 1, last_rotated_at = now()
                 where variable_id = ${f.ids.SESSION_SECRET} and environment_id = ${f.org.env.staging}`;
      });
    } finally {
      await app.end();
    }
    const noted = await stamp("SESSION_SECRET");
    expect(noted).toEqual({ at: aged.at, version: aged.version + 1 });
    // Re-encryption under a new data key is not a rotation of the credential either.
    const rotation = await withContext(f.org.owner, (tx) => startRotation(tx, f.org.owner));
    await runRotation(f.org.owner, rotation.id);
    expect((await stamp("SESSION_SECRET")).at).toEqual(aged.at);
    // A new value is.
    await f.set("SESSION_SECRET", "staging", "anothersecret", noted.version);
    expect((await stamp("SESSION_SECRET")).at?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("values due for rotation", () => {
  it("show in the matrix and in environment health once older than their variable's interval", async () => {
    expect(await stagingCell("STRIPE_SECRET_KEY")).toMatchObject({ rotationDue: false });
    const [variable] = await withContext(f.org.owner, (tx) =>
      tx.select().from(environmentVariables).where(eq(environmentVariables.id, f.ids.STRIPE_SECRET_KEY)),
    );
    const changed = await withContext(f.org.owner, (tx) =>
      updateVariable(tx, f.org.owner, variable.id, variable.version, {
        name: variable.name,
        variableType: "api_key",
        securityClassification: "confidential",
        isRequired: true,
        isWeddingCritical: false,
        tags: [],
        rotationIntervalDays: 30,
      }),
    );
    expect(changed.status).toBe("applied");
    expect(await stagingCell("STRIPE_SECRET_KEY")).toMatchObject({ rotationDue: false });
    expect((await stagingHealth())?.rotation_due).toBe(0);

    // An hour short of its interval, due nowhere; an hour past it, due in the matrix and in health alike.
    await age("STRIPE_SECRET_KEY", 29, 23);
    expect(await stagingCell("STRIPE_SECRET_KEY")).toMatchObject({ rotationDue: false });
    expect((await stagingHealth())?.rotation_due).toBe(0);
    await age("STRIPE_SECRET_KEY", 30, 1);
    expect(await stagingCell("STRIPE_SECRET_KEY")).toMatchObject({ rotationDue: true });
    expect((await stagingHealth())?.rotation_due).toBe(1);

    await age("STRIPE_SECRET_KEY", 31);
    expect(await stagingCell("STRIPE_SECRET_KEY")).toMatchObject({ rotationDue: true, state: "set" });
    const health = await stagingHealth();
    expect(health).toMatchObject({ rotation_due: 1, status: "warning" });
    expect(health?.reasons).toContain("1 credential(s) due for rotation");
    // Another organization's health knows nothing of it.
    const other = await valueFixture();
    expect((await environmentHealth(other.org.owner)).every((e) => e.health.rotation_due === 0)).toBe(true);
  });
});

describe("the due date, written once (credential_due_at, migration 0042)", () => {
  it("is the last change (else the first set) plus the interval in days, and nothing without an interval", async () => {
    const su = rawSql("super");
    try {
      const [row] = await su`select
          credential_due_at('2026-01-10T12:00Z', '2025-06-01T00:00Z', 90) = '2026-04-10T12:00Z' as from_last_change,
          credential_due_at(null, '2026-01-10T12:00Z', 1) = '2026-01-11T12:00Z' as from_first_set,
          credential_due_at('2026-01-10T12:00Z', '2025-06-01T00:00Z', null) is null as without_interval`;
      expect(row).toEqual({ from_last_change: true, from_first_set: true, without_interval: true });
    } finally {
      await su.end();
    }
  });
});
