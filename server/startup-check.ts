import { appRoleProblems } from "@/db/role-check";
import { parseEnv } from "./env";

export async function assertSafeStartup() {
  try {
    const env = parseEnv(process.env);
    const problems = await appRoleProblems(env.DATABASE_URL);
    if (problems.length > 0) throw new Error(`Refusing to serve: ${problems.join("; ")}`);
  } catch (error) {
    console.error(`[ringbearer] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
