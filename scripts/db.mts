/** `npm run db:migrate | db:rollback [steps] | db:seed` against DATABASE_URL or the embedded database. */
import { createDb } from "@/db/client";
import { rollback } from "@/db/migrate";
import { isEmpty, seedDemo } from "@/db/seed";
import { roleFromUrl } from "@/server/env";
import { prepare } from "./prepare.mts";

const [command, arg] = process.argv.slice(2);
const log = (m: string) => console.log(`[ringbearer] ${m}`);
const { local } = await prepare({ seed: false, log });
try {
  const ownerUrl = process.env.DATABASE_OWNER_URL ?? (process.env.DATABASE_URL as string);
  if (command === "migrate") {
    log("Database is migrated.");
  } else if (command === "rollback") {
    const undone = await rollback(
      ownerUrl,
      roleFromUrl(process.env.DATABASE_URL as string),
      Number(arg ?? 1),
    );
    log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
  } else if (command === "seed") {
    const db = createDb(process.env.DATABASE_URL as string, { max: 1 });
    if (await isEmpty(db)) {
      await seedDemo(db);
      log("Seeded the demo organization.");
    } else log("The database already has users: the demo is only seeded into an empty database.");
    await db.$client.end({ timeout: 5 });
  } else {
    console.error("usage: tsx scripts/db.mts migrate | rollback [steps] | seed");
    process.exitCode = 2;
  }
} finally {
  await local?.stop();
}
