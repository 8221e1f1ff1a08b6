/**
 * `npm run ops:erase -- EMAIL` — erases a person (GDPR): what "Erase my account" does, for a request that reached
 * the installation's operator. Runs as the database owner (DATABASE_OWNER_URL, or the embedded default's);
 * refused while they are an organization's only owner or an operator. docs/security.md, "Erasure".
 */
import postgres from "postgres";
import { eraseUserByEmail } from "@/db/ops-erasure";
import { databaseTarget } from "./database-target.mts";

const USAGE = "usage: npm run ops:erase -- EMAIL";
const args = process.argv.slice(2);
const email = args[0] ?? "";
if (args.length !== 1 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
  console.error(USAGE);
  process.exit(2);
}

const log = (m: string) => console.log(`[ops] ${m}`);
const REFUSALS: Record<string, string> = {
  RBE01:
    "they are the only owner of an organization: another member becomes its owner, or it is deleted, first",
  RBE02: "they are an operator: npm run ops:grant -- --revoke EMAIL first",
};
const target = await databaseTarget(log);
const sql = postgres(target.ownerUrl, { max: 1, onnotice: () => {} });
try {
  const outcome = await eraseUserByEmail(sql, email);
  if (outcome.status === "no_user") {
    console.error(`[ops] No account has the address ${email} (or it was already erased).`);
    process.exitCode = 1;
  } else {
    const e = outcome.erased;
    log(
      `Erased ${outcome.userId}: left ${e.organizations} organization(s); ${e.audit_rows} audit row(s) lost their personal fields; ${e.sessions} session(s), ${e.cli_logins} CLI sign-in(s), ${e.invitations} invitation(s) removed; ${e.personal_tokens} personal token(s) revoked.`,
    );
  }
} catch (error) {
  const code = (error as { code?: string }).code ?? "";
  const detail = (error as { detail?: string }).detail;
  if (!REFUSALS[code]) throw error;
  console.error(`[ops] Not erased: ${REFUSALS[code]}${detail ? ` (${detail})` : ""}. Nothing was changed.`);
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await target.close();
}
