/**
 * Usage and limits (issue 17): an operator sets an organization's limits; past one, creating more is refused by the
 * database whichever way it is created (one at a time, a bulk import, a restore), with a message naming the
 * limit, and nothing of the refused statement remains; reads and edits are never refused, even over a lowered
 * limit; machine API requests are counted per day; another organization is unaffected; only operators set limits.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { recordTokenUse } from "@/db/repos/service-tokens";
import { environmentVariables, organizationLimits } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { DEFAULT_LIMITS } from "@/lib/usage-limits";
import { environmentInput } from "@/lib/validation/environments";
import { organizationLimitsInput } from "@/lib/validation/ops";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createEnvironment } from "@/server/environments/environments";
import { createServiceToken, revokeServiceToken } from "@/server/tokens/service-tokens";
import { setLimits, usageBoard, usageOf } from "@/server/usage/usage";
import { applyImport, previewImport } from "@/server/values/dotenv-import";
import {
  createVariable,
  deleteVariable,
  restoreVariable,
  updateVariable,
} from "@/server/variables/variables";
import { makeOrg, rawSql, type TestOrg } from "./support";
import { isCode } from "./value-fixture";

let org: TestOrg;
let bystander: TestOrg;
let operator: { userId: string };

const newVariable = (ctx: TenantContext, name: string) =>
  withContext(ctx, (tx) =>
    createVariable(tx, ctx, {
      name,
      variableType: "configuration",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
/** The refusal as the console shows it (the action builder maps database errors the same way). */
const refusal = (promise: Promise<unknown>): Promise<AppError | null> =>
  promise.then(
    () => null,
    (e) => toAppError(e) as AppError,
  );
const limits = (values: Record<string, string>) =>
  organizationLimitsInput.parse({
    organizationId: org.id,
    variables: "",
    environments: "",
    members: "",
    service_tokens: "",
    api_requests_per_day: "",
    webhook_deliveries_per_day: "",
    storage_bytes: "",
    ...values,
  });
const usage = async (what: string) =>
  (await withContext(org.owner, (tx) => usageOf(tx, org.owner))).find((u) => u.what === what);

beforeAll(async () => {
  org = await makeOrg();
  bystander = await makeOrg();
  const member = await bystander.member("viewer");
  operator = { userId: member.userId };
  const su = rawSql("super");
  try {
    await su`insert into installation_operators (user_id, granted_by) values (${operator.userId}, 'test')`;
  } finally {
    await su.end();
  }
  await setLimits(operator, limits({ variables: "5", environments: "4", members: "3", service_tokens: "1" }));
});

describe("usage limits", () => {
  it("default to the installation's, which the migration and lib/usage-limits.ts agree on", async () => {
    const su = rawSql("super");
    try {
      const [row] = await su<
        Record<string, string>[]
      >`select variables, environments, members, service_tokens,
          api_requests_per_day, webhook_deliveries_per_day, storage_bytes from installation_limits`;
      expect(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))).toEqual(DEFAULT_LIMITS);
    } finally {
      await su.end();
    }
  });

  it("are set by operators only, and each organization sees its own", async () => {
    await expect(setLimits(org.owner, limits({ variables: "1000000" }))).rejects.toSatisfy(
      isCode("forbidden"),
    );
    // The app role, as a non-operator, cannot write them directly either.
    await expect(
      withContext(org.owner, (tx) =>
        tx
          .update(organizationLimits)
          .set({ variables: 1_000_000 })
          .where(eq(organizationLimits.organizationId, org.id)),
      ).then(async () => (await usage("variables"))?.max),
    ).resolves.toBe(5);
    expect(await usage("variables")).toMatchObject({ used: 0, max: 5, own: true, level: "ok" });
    expect(await usage("api_requests_per_day")).toMatchObject({ own: false });
    const developer = await org.member("developer");
    await expect(withContext(developer, (tx) => usageOf(tx, developer))).rejects.toSatisfy(
      isCode("forbidden"),
    );
    const board = await usageBoard(operator);
    expect(
      board.find((o) => o.organizationId === org.id)?.usage.find((u) => u.what === "variables")?.max,
    ).toBe(5);
    await expect(usageBoard(org.owner)).rejects.toSatisfy(isCode("forbidden"));
  });

  it("refuse a variable past the limit, one at a time, in bulk or restored, naming it; reads and edits go on", async () => {
    for (const name of ["A_ONE", "A_TWO", "A_THREE", "A_FOUR"]) await newVariable(org.owner, name);
    expect(await usage("variables")).toMatchObject({ used: 4, level: "warning" });
    // A bulk import of two at four of five: refused whole, nothing of it remains.
    const text = "B_ONE=1\nB_TWO=2";
    const preview = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, text),
    );
    const bulk = await refusal(
      withContext(org.owner, (tx) =>
        applyImport(tx, org.owner, { environmentId: org.env.development, text, expected: preview.expected }),
      ),
    );
    expect(bulk).toSatisfy(isCode("limit:reached"));
    expect(await usage("variables")).toMatchObject({ used: 4 });
    const fourth = await newVariable(org.owner, "A_FIVE");
    expect(await usage("variables")).toMatchObject({ used: 5, level: "reached" });
    const fifth = await refusal(newVariable(org.owner, "A_SIX"));
    expect(fifth).toSatisfy(isCode("limit:reached"));
    expect(fifth?.fieldErrors?.form[0]).toMatch(/limit of 5 variables\. Nothing was created/);
    expect(fifth?.meta).toEqual({ limit: "variables", max: 5 });
    // Reads and edits are never refused at the limit.
    const names = await withContext(org.owner, (tx) =>
      tx.select({ name: environmentVariables.name }).from(environmentVariables),
    );
    expect(names.map((n) => n.name).sort()).toEqual(["A_FIVE", "A_FOUR", "A_ONE", "A_THREE", "A_TWO"]);
    // A deleted one frees a place; restoring it once the place is taken is refused.
    await withContext(org.owner, (tx) =>
      deleteVariable(tx, org.owner, fourth.id, fourth.version, { reason: "make room" }),
    );
    await newVariable(org.owner, "A_SIX");
    const restored = await refusal(
      withContext(org.owner, (tx) => restoreVariable(tx, org.owner, fourth.id, { reason: "bring it back" })),
    );
    expect(restored).toSatisfy(isCode("limit:reached"));
    // Lowered below what is used: editing goes on; creating is refused.
    await setLimits(
      operator,
      limits({ variables: "2", environments: "4", members: "3", service_tokens: "1" }),
    );
    const [one] = await withContext(org.owner, (tx) =>
      tx.select().from(environmentVariables).where(eq(environmentVariables.name, "A_ONE")),
    );
    await withContext(org.owner, (tx) =>
      updateVariable(tx, org.owner, one.id, one.version, {
        name: one.name,
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        description: "still editable",
        tags: [],
      }),
    );
    expect(await refusal(newVariable(org.owner, "A_SEVEN"))).toSatisfy(isCode("limit:reached"));
    // Another organization is not limited by this one's limits.
    for (const name of ["X1", "X2", "X3", "X4", "X5"]) await newVariable(bystander.owner, name);
  });

  it("refuse environments, members and active service tokens past theirs", async () => {
    const env = (name: string) =>
      withContext(org.owner, (tx) =>
        createEnvironment(
          tx,
          org.owner,
          environmentInput.parse({ name, displayName: name, environmentType: "testing" }),
        ),
      );
    await env("qa");
    const fifth = await refusal(env("qa-two"));
    expect(fifth).toSatisfy(isCode("limit:reached"));
    expect(fifth?.fieldErrors?.form[0]).toMatch(/limit of 4 environments/);

    await org.member("viewer"); // the owner, the developer and this one: 3 of 3
    const third = await refusal(org.member("developer"));
    expect(third).toSatisfy(isCode("limit:reached"));
    expect(third?.fieldErrors?.form[0]).toMatch(/limit of 3 members/);

    const token = (name: string) =>
      withContext(org.owner, (tx) =>
        createServiceToken(
          tx,
          org.owner,
          serviceTokenInput.parse({ name, environments: ["staging"], access: "read" }),
        ),
      );
    const first = await token("deploy");
    expect(await refusal(token("second"))).toSatisfy(isCode("limit:reached"));
    await withContext(org.owner, (tx) => revokeServiceToken(tx, org.owner, first.id));
    await token("second");
    expect(await usage("service_tokens")).toMatchObject({ used: 1, max: 1, level: "reached" });
  });

  it("count machine API requests per day, and warn without refusing", async () => {
    const [row] = await withContext(org.owner, (tx) =>
      tx.execute<{ id: string }>(sql`select id from service_tokens where revoked_at is null limit 1`),
    );
    for (let i = 0; i < 3; i++)
      await withContext(org.owner, (tx) => recordTokenUse(tx, row.id, "203.0.113.1"));
    await setLimits(
      operator,
      limits({
        variables: "2",
        environments: "4",
        members: "2",
        service_tokens: "1",
        api_requests_per_day: "3",
      }),
    );
    expect(await usage("api_requests_per_day")).toMatchObject({ used: 3, max: 3, level: "reached" });
    // Counting goes on past it: a read is never refused.
    await withContext(org.owner, (tx) => recordTokenUse(tx, row.id, "203.0.113.1"));
    expect(await usage("api_requests_per_day")).toMatchObject({ used: 4 });
    expect((await usage("storage_bytes"))?.used).toBeGreaterThanOrEqual(0);
  });
});
