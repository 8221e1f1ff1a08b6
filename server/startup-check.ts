import { masterKeyMismatch } from "@/db/master-key-check";
import { appRoleProblems } from "@/db/role-check";
import { describeError } from "@/lib/errors";
import { masterKeyringOf, parseEnv } from "./env";

/**
 * Refuses to serve (exit 1, the reason on stderr) when the configuration is wrong, the database role could
 * bypass row-level security, or the master key is not the one the database's keys were made with.
 */
export async function assertSafeStartup() {
  try {
    const env = parseEnv(process.env);
    const problems = await appRoleProblems(env.DATABASE_URL);
    const key = await masterKeyMismatch(env.DATABASE_URL, masterKeyringOf(env), {
      migrating: false,
      requireCheck: true,
    });
    if (key) problems.push(key);
    if (problems.length > 0) throw new Error(`Refusing to serve: ${problems.join("; ")}`);
  } catch (error) {
    console.error(`[ringbearer] ${describeError(error)}`);
    process.exit(1);
  }
}
