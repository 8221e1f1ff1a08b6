import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { createEnvironment } from "@/server/environments/environments";
import { makeOrg } from "./support";

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected PostgreSQL to refuse");
    },
    (error: unknown) => error,
  );

const environment = (extra: Record<string, unknown>) => ({
  name: "qa",
  displayName: "QA",
  environmentType: "testing" as const,
  isProduction: false,
  weddingDayProtection: false,
  ...extra,
});

describe("what PostgreSQL refuses as data", () => {
  it("is a validation error (4xx), never internal: the last line behind the schemas", async () => {
    const org = await makeOrg();
    const cases: [string, (tx: Parameters<Parameters<typeof withContext>[1]>[0]) => Promise<unknown>][] = [
      [
        "22001 string too long",
        (tx) => createEnvironment(tx, org.owner, environment({ name: "x".repeat(300) })),
      ],
      ["22021 NUL byte", (tx) => createEnvironment(tx, org.owner, environment({ displayName: "a\u0000b" }))],
      ["22P02 not a uuid", (tx) => tx.execute(sql`select ${"not-a-uuid"}::uuid`)],
      ["22008 impossible date", (tx) => tx.execute(sql`select ${"2025-02-31"}::date`)],
      ["22007 not a date", (tx) => tx.execute(sql`select ${"someday"}::date`)],
      ["22003 out of range", (tx) => tx.execute(sql`select ${"2147483648"}::int4`)],
      [
        "54023 too many arguments",
        (tx) => tx.execute(sql.raw(`select concat(${Array.from({ length: 101 }, (_, i) => i).join(",")})`)),
      ],
    ];
    for (const [name, query] of cases) {
      const error = await refusal(withContext(org.owner, query));
      const mapped = toAppError(error);
      expect(mapped, name).toBeInstanceOf(AppError);
      expect((mapped as AppError).code, name).toBe("validation");
      expect((mapped as AppError).status, name).toBe(422);
    }
  });

  it("keeps other failures as they are (logged and shown as internal)", async () => {
    const org = await makeOrg();
    const error = await refusal(withContext(org.owner, (tx) => tx.execute(sql`select * from no_such_table`)));
    expect(toAppError(error)).toBe(error);
  });
});
