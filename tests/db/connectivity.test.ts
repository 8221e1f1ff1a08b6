import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit, variableValidations } from "@/db/schema";
import { probeDatabaseUrl } from "@/lib/connectivity";
import { AppError } from "@/lib/errors";
import { checkConnectivity } from "@/server/targets/connectivity";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "./support";

let org: TestOrg;
let variableId: string;

beforeAll(async () => {
  org = await makeOrg();
  variableId = (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name: "DATABASE_URL",
        variableType: "database_url",
        securityClassification: "wedding_day_critical",
        isRequired: true,
        isWeddingCritical: true,
        tags: [],
      }),
    )
  ).id;
  const set = (env: keyof TestOrg["env"], value: string) =>
    withContext(org.owner, (tx) =>
      setValue(tx, org.owner, { variableId, environmentId: org.env[env], value, expectedVersion: 0 }),
    );
  await set("staging", inject("databaseUrl"));
  await set("development", "postgres://app:s3cret-pw@127.0.0.1:1/nothing");
});

const check = (env: keyof TestOrg["env"], ctx = org.owner) =>
  checkConnectivity(ctx, { variableId, environmentId: org.env[env] }, { timeoutMs: 2000 });

describe("the connectivity check", () => {
  it("logs in to a reachable PostgreSQL and says so", async () => {
    expect(await check("staging")).toMatchObject({ status: "passed", message: "Connected and ran select 1" });
  });

  it("says it could not connect, without echoing the URL or password, and stores the result", async () => {
    const result = await check("development");
    expect(result.status).toBe("failed");
    expect(result.message).toBe("Could not connect");
    expect(result.message).not.toContain("s3cret");
    const stored = await withContext(org.owner, (tx) =>
      tx
        .select({ status: variableValidations.validationStatus, message: variableValidations.errorMessage })
        .from(variableValidations)
        .where(
          and(
            eq(variableValidations.variableId, variableId),
            eq(variableValidations.environmentId, org.env.development),
            eq(variableValidations.validationType, "connectivity"),
          ),
        ),
    );
    expect(stored).toEqual([{ status: "failed", message: result.message }]);
    const audits = await withContext(org.owner, (tx) =>
      tx
        .select({ details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.variableId, variableId),
            eq(environmentVariableAudit.action, "read"),
          ),
        ),
    );
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain("s3cret");
  });

  it("is refused to a viewer on production and for variables that are not database URLs", async () => {
    const viewer = await org.member("viewer");
    await expect(check("production", viewer)).rejects.toSatisfy((e) => e instanceof AppError);
    expect((await probeDatabaseUrl("not a url")).status).toBe("failed");
    expect((await probeDatabaseUrl("sqlite:///tmp/x.db")).status).toBe("warning");
  });
});
