import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { verifyAuditChain } from "@/db/repos/audit";
import { auditPage } from "@/server/audit/audit-reads";
import { restoreVersion, setValue } from "@/server/values/values";
import { approveAs } from "./support";
import { valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;

/** The value rows of the audit trail for one variable, oldest first, as the explorer lists them. */
const valueRows = async (variable: string, environment: string, action?: "restore") =>
  (await auditPage(f.org.owner, { resource: "value", variable, environment, action }, "UTC", 50)).rows
    .reverse()
    .map((r) => r.action)
    .filter((action) => action !== "decrypt");

beforeAll(async () => {
  f = await valueFixture();
});

describe("restoring an earlier version of a value", () => {
  it("is audited as a restore, found by the explorer's restore filter, and the chain still verifies", async () => {
    // FEATURE_CHECKOUT staging: v1 "true" (fixture) → v2 "false" → restore v1 → v3 "true".
    await withContext(f.org.owner, (tx) =>
      setValue(tx, f.org.owner, {
        variableId: f.ids.FEATURE_CHECKOUT,
        environmentId: f.org.env.staging,
        value: "false",
        expectedVersion: 1,
      }),
    );
    const restored = await withContext(f.org.owner, (tx) =>
      restoreVersion(tx, f.org.owner, {
        variableId: f.ids.FEATURE_CHECKOUT,
        environmentId: f.org.env.staging,
        version: 1,
        expectedVersion: 2,
      }),
    );
    expect(restored).toMatchObject({ status: "applied", version: 3 });
    expect(await f.reveal("FEATURE_CHECKOUT", "staging")).toBe("true");
    expect(await valueRows("FEATURE_CHECKOUT", "staging")).toEqual(["create", "update", "restore"]);
    expect(await valueRows("FEATURE_CHECKOUT", "staging", "restore")).toEqual(["restore"]);
    // The next ordinary edit is an update again.
    await withContext(f.org.owner, (tx) =>
      setValue(tx, f.org.owner, {
        variableId: f.ids.FEATURE_CHECKOUT,
        environmentId: f.org.env.staging,
        value: "false",
        expectedVersion: 3,
      }),
    );
    expect(await valueRows("FEATURE_CHECKOUT", "staging")).toEqual(["create", "update", "restore", "update"]);
    expect(await verifyAuditChain(f.org.owner)).toMatchObject({ brokenSeq: null, reason: null });
  });

  it("is a restore when it waited for approval too, and a restore and an edit in one transaction keep their actions", async () => {
    await f.set("STRIPE_SECRET_KEY", "production", "sk_live_51Hfirstkey00000");
    await f.set("STRIPE_SECRET_KEY", "production", "sk_live_51Hsecondkey0000", 1);
    const asked = await withContext(f.org.owner, (tx) =>
      restoreVersion(tx, f.org.owner, {
        variableId: f.ids.STRIPE_SECRET_KEY,
        environmentId: f.org.env.production,
        version: 1,
        expectedVersion: 2,
        reason: "The second key was revoked by Stripe",
      }),
    );
    expect(asked.status).toBe("requested");
    await approveAs(f.org, asked);
    expect(await f.reveal("STRIPE_SECRET_KEY", "production")).toBe("sk_live_51Hfirstkey00000");
    expect(await valueRows("STRIPE_SECRET_KEY", "production")).toEqual(["create", "update", "restore"]);

    await withContext(f.org.owner, (tx) =>
      setValue(tx, f.org.owner, {
        variableId: f.ids.SESSION_SECRET,
        environmentId: f.org.env.staging,
        value: "anothersecret",
        expectedVersion: 1,
      }),
    );
    await withContext(f.org.owner, async (tx) => {
      await restoreVersion(tx, f.org.owner, {
        variableId: f.ids.SESSION_SECRET,
        environmentId: f.org.env.staging,
        version: 1,
        expectedVersion: 2,
      });
      await setValue(tx, f.org.owner, {
        variableId: f.ids.FEATURE_CHECKOUT,
        environmentId: f.org.env.staging,
        value: "true",
        expectedVersion: 4,
      });
    });
    expect((await valueRows("SESSION_SECRET", "staging")).at(-1)).toBe("restore");
    expect((await valueRows("FEATURE_CHECKOUT", "staging")).at(-1)).toBe("update");
    expect(await verifyAuditChain(f.org.owner)).toMatchObject({ brokenSeq: null, reason: null });
  });
});
