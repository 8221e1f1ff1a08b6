/**
 * `npm run db:migrate | db:rollback [steps] | db:seed` against DATABASE_URL or the embedded database.
 * migrate and seed go through prepare (checks, then migrations); rollback never migrates first: it rolls back
 * the last applied migrations and leaves pending ones pending.
 */
import { createDb } from "@/db/client";
import { rollback } from "@/db/migrate";
import { parseDatabaseEnv, roleFromUrl } from "@/server/env";
import { isEmpty, seedDemo } from "@/server/seed";
import type { LocalDatabase } from "./local-db.mts";
import { prepare, resolveDatabase } from "./prepare.mts";

const [command, arg] = process.argv.slice(2);
const log = (m: string) => console.log(`[ringbearer] ${m}`);
const known = ["migrate", "rollback", "seed"];
let local: LocalDatabase | undefined;
try {
  if (!known.includes(command ?? "")) {
    console.error("usage: tsx scripts/db.mts migrate | rollback [steps] | seed");
    process.exitCode = 2;
  } else if (command === "rollback") {
    local = await resolveDatabase(log);
    const { DATABASE_URL, DATABASE_OWNER_URL } = parseDatabaseEnv(process.env);
    const undone = await rollback(
      DATABASE_OWNER_URL ?? DATABASE_URL,
      roleFromUrl(DATABASE_URL),
      Number(arg ?? 1),
    );
    log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
  } else {
    ({ local } = await prepare({ seed: false, log }));
    if (command === "migrate") {
      log("Database is migrated.");
    } else {
      const db = createDb(process.env.DATABASE_URL as string, { max: 1 });
      if (await isEmpty(db)) {
        await seedDemo(db);
        log("Seeded the demo organization.");
      } else log("The database already has users: the demo is only seeded into an empty database.");
      await db.$client.end({ timeout: 5 });
    }
  }
} finally {
  await local?.stop();
}
