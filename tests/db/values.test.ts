import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit, valueVersions, variableValidations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { deleteValue, revealValue, setValue } from "@/server/values/values";
import {
  createVariable,
  deleteVariable,
  restoreVariable,
  updateVariable,
} from "@/server/variables/variables";
import { RESPONSIVE_MS, watchEventLoop } from "../support/event-loop";
import { withSession } from "./session-fixture";
import { applied, approveAs, makeOrg, rawSql, type TestOrg } from "./support";

const base = {
  variableType: "api_key" as const,
  securityClassification: "confidential" as const,
  isRequired: false,
  isWeddingCritical: true,
  tags: ["payments"],
};
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let variableId: string;

beforeAll(async () => {
  org = await makeOrg();
  variableId = (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, { ...base, name: "STRIPE_SECRET_KEY" }),
    )
  ).id;
});

describe("values", () => {
  it("sets, reveals (audited as decrypt) and keeps every version", async () => {
    const target = { variableId, environmentId: org.env.development };
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { ...target, value: "sk_test_one", expectedVersion: 0 }),
    );
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { ...target, value: "sk_test_two", expectedVersion: 1, note: "rotated" }),
    );
    const revealed = await withContext(org.owner, (tx) => revealValue(tx, org.owner, target));
    expect(revealed).toEqual({ value: "sk_test_two", version: 2, resolved: null });
    const { history, decrypts } = await withContext(org.owner, async (tx) => ({
      history: await tx
        .select({ version: valueVersions.version, note: valueVersions.note })
        .from(valueVersions)
        .where(eq(valueVersions.variableId, variableId))
        .orderBy(valueVersions.version),
      decrypts: await tx
        .select({ userId: environmentVariableAudit.userId })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.variableId, variableId),
            eq(environmentVariableAudit.action, "decrypt"),
          ),
        ),
    }));
    expect(history).toEqual([
      { version: 1, note: null },
      { version: 2, note: "rotated" },
    ]);
    expect(decrypts).toEqual([{ userId: org.owner.userId }]);
  });

  it("refuses a stale write and keeps the newer value", async () => {
    const target = { variableId, environmentId: org.env.staging };
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { ...target, value: "first", expectedVersion: 0 }),
    );
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { ...target, value: "alice", expectedVersion: 1 }),
    );
    await expect(
      withContext(org.owner, (tx) =>
        setValue(tx, org.owner, { ...target, value: "bob", expectedVersion: 1 }),
      ),
    ).rejects.toSatisfy((e) => isCode("conflict:version")(e) && (e as AppError).meta?.currentVersion === 2);
    expect((await withContext(org.owner, (tx) => revealValue(tx, org.owner, target))).value).toBe("alice");
  });

  it("lets exactly one of two concurrent writers from the same version win", async () => {
    // A public key in production is a LOW change: it applies at once, so the race is on the write itself.
    const publicKey = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        ...base,
        name: "NEXT_PUBLIC_KEY",
        securityClassification: "public",
        isWeddingCritical: false,
      }),
    );
    const target = { variableId: publicKey.id, environmentId: org.env.production };
    applied(
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, { ...target, value: "pk_live_one", expectedVersion: 0 }),
      ),
    );
    const results = await Promise.allSettled(
      ["pk_live_alice", "pk_live_bob"].map((value) =>
        withContext(org.owner, (tx) => setValue(tx, org.owner, { ...target, value, expectedVersion: 1 })),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(isCode("conflict:version")(rejected.reason)).toBe(true);
  });

  it("sends a developer's production write for approval, refuses a viewer's, and a viewer's reveal", async () => {
    const dev = await org.member("developer");
    const viewer = await org.member("viewer");
    const target = { variableId, environmentId: org.env.production };
    const propose = (note?: string) =>
      withContext(dev, (tx) =>
        setValue(tx, dev, { ...target, value: "sk_live_x", expectedVersion: 0, note }),
      );
    await expect(propose()).rejects.toSatisfy(
      (e) =>
        isCode("validation")(e) &&
        /approval \(CRITICAL risk\)/.test(String((e as AppError).fieldErrors?.note)),
    );
    const change = await propose("Rotating the live key after the vendor's notice");
    expect(change).toMatchObject({ status: "requested", riskLevel: "CRITICAL" });
    const owner = await withSession(org.owner); // a wedding-critical production reveal needs step-up
    await expect(withContext(owner, (tx) => revealValue(tx, owner, target))).rejects.toSatisfy(
      isCode("not_found"),
    );
    await expect(
      withContext(viewer, (tx) =>
        setValue(tx, viewer, { ...target, value: "x", expectedVersion: 0, note: "I would like to help out" }),
      ),
    ).rejects.toSatisfy(isCode("forbidden"));
    await expect(withContext(viewer, (tx) => revealValue(tx, viewer, target))).rejects.toSatisfy(
      isCode("forbidden"),
    );
    const ok = await withContext(dev, (tx) =>
      setValue(tx, dev, {
        variableId,
        environmentId: org.env.development,
        value: "dev-value",
        expectedVersion: 2,
      }),
    );
    expect(applied(ok).version).toBe(3);
  });

  it("deletes a value with its version kept as a tombstone", async () => {
    const target = { variableId, environmentId: org.env.development };
    await withContext(org.owner, (tx) => deleteValue(tx, org.owner, { ...target, expectedVersion: 3 }));
    await expect(withContext(org.owner, (tx) => revealValue(tx, org.owner, target))).rejects.toSatisfy(
      isCode("not_found"),
    );
    const again = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { ...target, value: "back", expectedVersion: 0 }),
    );
    expect(applied(again).version).toBe(5);
  });

  it("proves a stored pattern safe off the event loop when a value is written, and refuses the value while it cannot", async () => {
    // Stored without the save-time proof (createVariable takes parsed input), as by an earlier version. recheck
    // cannot settle it in time — as happens to a simple pattern on an overloaded machine — so the value is
    // refused for now ("try again"), never accepted unchecked.
    const { id } = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        ...base,
        variableType: "secret",
        isWeddingCritical: false,
        name: "SLOW_PATTERN_SECRET",
        validationPattern: "^(a|b|ab){1,37}c$",
      }),
    );
    const stop = watchEventLoop();
    await expect(
      withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: id,
          environmentId: org.env.development,
          value: "does-not-match",
          expectedVersion: 0,
        }),
      ),
    ).rejects.toSatisfy(
      (e) => isCode("validation")(e) && /try again/.test(JSON.stringify((e as AppError).fieldErrors)),
    );
    expect(await stop()).toBeLessThan(RESPONSIVE_MS);
  }, 20_000);

  it("applies a stored pattern proved unsafe as a warning (stored by an earlier version), not as a check", async () => {
    const { id } = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        ...base,
        variableType: "secret",
        isWeddingCritical: false,
        name: "UNSAFE_PATTERN_SECRET",
        validationPattern: "(a+)+$",
      }),
    );
    const written = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: id,
        environmentId: org.env.development,
        value: "does-not-match!",
        expectedVersion: 0,
      }),
    );
    expect(written.status).toBe("applied");
    const checks = await withContext(org.owner, (tx) =>
      tx
        .select({ status: variableValidations.validationStatus, message: variableValidations.errorMessage })
        .from(variableValidations)
        .where(
          and(
            eq(variableValidations.variableId, id),
            eq(variableValidations.environmentId, org.env.development),
          ),
        ),
    );
    expect(checks).toEqual([{ status: "warning", message: expect.stringMatching(/not applied/) }]);
  }, 20_000);

  it("stores no plaintext anywhere in the database", async () => {
    const secret = "sk_live_PLAINTEXT_CANARY_4242";
    const canary = (
      await withContext(org.owner, (tx) => createVariable(tx, org.owner, { ...base, name: "CANARY" }))
    ).id;
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: canary,
        environmentId: org.env.staging,
        value: secret,
        expectedVersion: 0,
      }),
    );
    await withContext(org.owner, (tx) =>
      revealValue(tx, org.owner, { variableId: canary, environmentId: org.env.staging }),
    );
    const s = rawSql("super");
    try {
      const columns = await s<{ table_name: string; column_name: string }[]>`
        select table_name, column_name from information_schema.columns
         where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'ARRAY', 'json')`;
      expect(columns.length).toBeGreaterThan(20);
      for (const c of columns) {
        const [hit] = await s.unsafe(
          `select count(*)::int as n from "${c.table_name}" where "${c.column_name}"::text like $1`,
          [`%${secret}%`],
        );
        expect(hit.n, `${c.table_name}.${c.column_name}`).toBe(0);
      }
    } finally {
      await s.end();
    }
  });
});

describe("variables", () => {
  it("soft-deletes and restores, and refuses a duplicate name or a stale edit", async () => {
    const v = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, { ...base, name: "RESEND_API_KEY" }),
    );
    await expect(
      withContext(org.owner, (tx) => createVariable(tx, org.owner, { ...base, name: "RESEND_API_KEY" })),
    ).rejects.toSatisfy((e) => isCode("conflict:exists")(e) && Boolean((e as AppError).fieldErrors?.name));
    await withContext(org.owner, (tx) =>
      updateVariable(tx, org.owner, v.id, 1, { ...base, name: "RESEND_API_KEY", description: "email" }),
    );
    await expect(
      withContext(org.owner, (tx) =>
        updateVariable(tx, org.owner, v.id, 1, { ...base, name: "RESEND_API_KEY" }),
      ),
    ).rejects.toSatisfy(isCode("conflict:version"));
    // Deleting a wedding-critical variable is HIGH: it waits, with a reason, for a reviewer.
    await expect(withContext(org.owner, (tx) => deleteVariable(tx, org.owner, v.id, 2))).rejects.toSatisfy(
      (e) => isCode("validation")(e) && /HIGH risk/.test(String((e as AppError).fieldErrors?.reason)),
    );
    const waiting = await withContext(org.owner, (tx) =>
      deleteVariable(tx, org.owner, v.id, 2, { reason: "Moving transactional email to Postmark" }),
    );
    expect(waiting).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    await expect(
      withContext(org.owner, (tx) => createVariable(tx, org.owner, { ...base, name: "RESEND_API_KEY" })),
    ).rejects.toSatisfy(isCode("conflict:exists"));
    await approveAs(org, waiting);
    await withContext(org.owner, (tx) => restoreVariable(tx, org.owner, v.id));
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => createVariable(tx, viewer, { ...base, name: "NOPE" })),
    ).rejects.toSatisfy(isCode("forbidden"));
  });
});
