import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environments, syncTargets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { targetInput } from "@/lib/validation/targets";
import { updateEnvironment } from "@/server/environments/environments";
import { createTarget } from "@/server/targets/sync-targets";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, expectDbError, makeOrg, startWeddingHours, type TestOrg } from "./support";

/**
 * Review finding 2: four eyes could be side-stepped by retyping an environment (production → development)
 * and then writing a CRITICAL value alone, and by pointing a new sync target of production at one's own
 * server. Both are now HIGH changes that wait for a second person, and the database refuses them too.
 */
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let critical: string;

async function productionRow(o: TestOrg) {
  const [row] = await withContext(o.owner, (tx) =>
    tx.select().from(environments).where(eq(environments.id, o.env.production)),
  );
  return row;
}

const retype = async (o: TestOrg, ctx: TenantContext, changes: Record<string, unknown>, reason?: string) => {
  const p = await productionRow(o);
  return withContext(ctx, (tx) =>
    updateEnvironment(
      tx,
      ctx,
      p.id,
      p.version,
      {
        name: p.name,
        displayName: p.displayName,
        environmentType: p.environmentType as "production",
        weddingDayProtection: p.weddingDayProtection,
        ...changes,
      } as Parameters<typeof updateEnvironment>[4],
      { reason },
    ),
  );
};

beforeAll(async () => {
  org = await makeOrg();
  critical = (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name: "STRIPE_SECRET_KEY",
        variableType: "api_key",
        securityClassification: "wedding_day_critical",
        isRequired: true,
        isWeddingCritical: true,
        tags: [],
      }),
    )
  ).id;
});

describe("finding 2: retyping an environment is itself a four-eyes change", () => {
  it("an admin cannot turn production into development and then write a CRITICAL value alone", async () => {
    const change = await retype(org, org.owner, { environmentType: "development" }, "Testing in prod");
    expect(change).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    expect((await productionRow(org)).environmentType).toBe("production");
    const write = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: critical,
        environmentId: org.env.production,
        value: "sk_live_attacker",
        expectedVersion: 0,
        note: "my own key, no reviewer",
      }),
    );
    expect(write).toMatchObject({ status: "requested" });
  });

  it("tightening (development → production) waits too, and asks for a reason", async () => {
    const [dev] = await withContext(org.owner, (tx) =>
      tx.select().from(environments).where(eq(environments.id, org.env.development)),
    );
    const promote = (reason?: string) =>
      withContext(org.owner, (tx) =>
        updateEnvironment(
          tx,
          org.owner,
          dev.id,
          dev.version,
          {
            name: dev.name,
            displayName: dev.displayName,
            environmentType: "production",
            weddingDayProtection: dev.weddingDayProtection,
          } as Parameters<typeof updateEnvironment>[4],
          { reason },
        ),
      );
    await expect(promote()).rejects.toSatisfy(isCode("validation"));
    expect(await promote("It becomes the new production")).toMatchObject({ status: "requested" });
  });

  it("the database refuses a tier or protection change that no reviewer approved", async () => {
    for (const change of [
      sql`environment_type = 'development'`,
      sql`wedding_day_protection = false`,
      sql`environment_type = 'staging', wedding_day_protection = false`,
    ]) {
      await expectDbError(
        withContext(org.owner, (tx) =>
          tx.execute(sql`update environments set ${change} where id = ${org.env.production}`),
        ),
        /approval_required/,
      );
    }
    expect((await productionRow(org)).environmentType).toBe("production");
  });

  it("the production flag follows the type: it cannot be flipped on its own", async () => {
    expect((await productionRow(org)).isProduction).toBe(true);
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update environments set is_production = false where id = ${org.env.production}`),
      ),
      /is_production|generated/,
    );
  });

  it("once a reviewer approves, the retype applies", async () => {
    const o = await makeOrg();
    const change = await retype(
      o,
      o.owner,
      { environmentType: "disaster_recovery" },
      "Production moves region",
    );
    await approveAs(o, change);
    const p = await productionRow(o);
    expect(p.environmentType).toBe("disaster_recovery");
    expect(p.isProduction).toBe(true);
  });

  it("is refused outright during wedding hours, even with a reason", async () => {
    const o = await makeOrg();
    await startWeddingHours(o);
    await expect(
      retype(o, o.owner, { environmentType: "development" }, "Moving fast on a Saturday"),
    ).rejects.toSatisfy(isCode("locked:wedding_hours"));
    await expectDbError(
      withContext(o.owner, (tx) =>
        tx.execute(sql`update environments set environment_type = 'staging' where id = ${o.env.production}`),
      ),
      /locked:wedding_hours/,
    );
  });
});

describe("finding 2: a sync target of production is a four-eyes change", () => {
  const input = (o: TestOrg, name: string) =>
    targetInput.parse({
      environmentId: o.env.production,
      name,
      kind: "http",
      location: "https://receiver.attacker.example",
      scanIntervalMinutes: "15",
    });

  it("adding one waits for a reviewer (with a reason) and creates nothing until approved", async () => {
    const o = await makeOrg();
    await expect(
      withContext(o.owner, (tx) => createTarget(tx, o.owner, input(o, "exfil"))),
    ).rejects.toSatisfy(isCode("validation"));
    const requested = await withContext(o.owner, (tx) =>
      createTarget(tx, o.owner, input(o, "exfil"), { reason: "New web tier in eu-west" }),
    );
    expect(requested).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    const rows = await withContext(o.owner, (tx) =>
      tx.select().from(syncTargets).where(eq(syncTargets.organizationId, o.id)),
    );
    expect(rows).toHaveLength(0);
    await approveAs(o, requested);
    const after = await withContext(o.owner, (tx) =>
      tx.select().from(syncTargets).where(eq(syncTargets.organizationId, o.id)),
    );
    expect(after.map((t) => t.name)).toEqual(["exfil"]);
  });

  it("staging targets still apply at once", async () => {
    const o = await makeOrg();
    const made = await withContext(o.owner, (tx) =>
      createTarget(tx, o.owner, { ...input(o, "web"), environmentId: o.env.staging }),
    );
    expect(made).toMatchObject({ status: "applied" });
  });

  it("the database refuses a production target no reviewer approved", async () => {
    const o = await makeOrg();
    await expectDbError(
      withContext(o.owner, (tx) =>
        tx.execute(sql`insert into sync_targets (organization_id, environment_id, name, kind, location,
          secret_sealed, encryption_key_id, scan_interval_minutes)
          values (${o.id}, ${o.env.production}, 'sneaky', 'http', 'https://x.example', 'x', 'k', 15)`),
      ),
      /approval_required/,
    );
  });
});
