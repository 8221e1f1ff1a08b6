/**
 * A client of the app's pool (db/client.ts, with its session timeouts from the environment) that locks a row
 * and then never finishes its transaction: `idle` waits forever with the transaction open, `sleep` runs a
 * statement that does not end. The db suite's session-timeouts test kills it or lets it idle, and measures
 * when the row is free again. Prints "locked" once it holds the lock, "ended <code>" if its transaction fails.
 */
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";

const [mode, table] = process.argv.slice(2);
if (!/^[a-z_.0-9]+$/.test(table ?? "") || !["idle", "sleep"].includes(mode ?? ""))
  throw new Error("usage: lock-holder.mts idle|sleep <schema.table>");
const db = createDb(process.env.DATABASE_URL as string, { max: 1 });
try {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select id from ${table} where id = 1 for update`));
    console.log("locked");
    if (mode === "idle") await new Promise(() => {});
    else await tx.execute(sql`select pg_sleep(600)`);
  });
} catch (error) {
  const e = error as { code?: string; cause?: { code?: string } };
  console.log(`ended ${e.cause?.code ?? e.code}`);
}
