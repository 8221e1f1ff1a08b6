/**
 * `npm run ops:grant -- EMAIL` — makes a user an installation operator, who may open the operator console
 * (`/ops`) whatever their organization roles. `--revoke EMAIL` takes it back; `--list` shows who has it.
 * Runs as the database owner (DATABASE_OWNER_URL, or the embedded default's), and logs each change in the
 * operations log. docs/operations.md, "The operator console".
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { grantOperator, listOperators, revokeOperator } from "@/db/operators";
import { databaseTarget } from "./database-target.mts";

const USAGE = "usage: npm run ops:grant -- EMAIL | --revoke EMAIL | --list";
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    options: { revoke: { type: "string" }, list: { type: "boolean" } },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const modes = [positionals.length > 0, values.revoke !== undefined, values.list === true].filter(Boolean);
const email = positionals[0] ?? values.revoke ?? "";
if (modes.length !== 1 || positionals.length > 1 || (!values.list && !/^[^\s@]+@[^\s@]+$/.test(email))) {
  console.error(USAGE);
  process.exit(2);
}

const log = (m: string) => console.log(`[ops] ${m}`);
const target = await databaseTarget(log);
const sql = postgres(target.ownerUrl, { max: 1, onnotice: () => {} });
try {
  if (values.list) {
    const rows = await listOperators(sql);
    if (rows.length === 0) log("No operators yet: npm run ops:grant -- EMAIL");
    for (const r of rows) log(`${r.email} (since ${r.grantedAt.toISOString()}, by ${r.grantedBy})`);
  } else if (values.revoke !== undefined) {
    log(
      (await revokeOperator(sql, email))
        ? `${email} is no longer an operator.`
        : `${email} was not an operator.`,
    );
  } else {
    const outcome = await grantOperator(sql, email);
    if (outcome === "no_user") {
      console.error(`[ops] No user has the email ${email}: they sign in once (or are invited) first.`);
      process.exitCode = 1;
    } else
      log(outcome === "granted" ? `${email} is now an operator: /ops` : `${email} already was an operator.`);
  }
} finally {
  await sql.end({ timeout: 5 });
  await target.close();
}
