/** Helpers of the erasure tests: audit rows written as someone, read past row-level security, and verified. */
import { sql } from "drizzle-orm";
import { type TenantContext, withContext } from "@/db/context";
import { verifyChainIn } from "@/db/repos/audit";
import { writeAudit } from "@/server/audit/audit";
import { rawSql, type TestOrg } from "./support";

export const BROWSER = "Mozilla/5.0 (erasure test)";

/** An audit row written as this person from this address and browser. */
export const act = (ctx: TenantContext, ip: string, details: Record<string, unknown> = {}) =>
  withContext(ctx, (tx) =>
    writeAudit(
      tx,
      { ...ctx, ip, userAgent: BROWSER, sessionId: "s-1" },
      {
        action: "update",
        resourceType: "settings",
        details: { note: "worked", ...details },
      },
    ),
  );

/** Every audit row of these organizations, as the superuser (past row-level security). */
export async function auditRows(...orgIds: string[]) {
  const su = rawSql("super");
  try {
    return await su<
      {
        seq: number;
        organization_id: string;
        user_id: string | null;
        ip: string | null;
        user_agent: string | null;
        session_id: string | null;
        change_details: Record<string, unknown>;
        personal_details: Record<string, unknown> | null;
        chain_version: number;
        erased_at: Date | null;
      }[]
    >`select seq, organization_id, user_id, host(ip_address) as ip, user_agent, session_id, change_details,
             personal_details, chain_version, erased_at
        from environment_variable_audit where organization_id = any(${orgIds}::uuid[]) order by organization_id, seq`;
  } finally {
    await su.end();
  }
}

export async function erasedAt(userId: string) {
  const su = rawSql("super");
  try {
    const [row] = await su<{ erased_at: Date | null }[]>`select erased_at from users where id = ${userId}`;
    return row.erased_at;
  } finally {
    await su.end();
  }
}

export const chainOf = (org: TestOrg) => withContext(org.owner, (tx) => verifyChainIn(tx, org.id));

export function sqlEmail(userId: string) {
  return sql`select email from users where id = ${userId}`;
}
