import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";

/** The calls of migration 0032's functions: the only way to a CLI login (the app role has no grant on the table). */

export async function startCliLogin(
  tx: Database | Tx,
  login: {
    deviceHash: string;
    userHash: string;
    client: string;
    from: string | null;
    agent: string | null;
    minutes: number;
  },
) {
  const [row] = await tx.execute<{ expires_at: string }>(sql`
    select cli_login_start(${login.deviceHash}, ${login.userHash}, ${login.client}, ${login.from}, ${login.agent},
                           make_interval(mins => ${login.minutes})) as expires_at`);
  return new Date(row.expires_at);
}

export type PendingCliLogin = {
  id: string;
  client_name: string;
  requested_from: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
};

export async function pendingCliLogin(tx: Tx, userHash: string): Promise<PendingCliLogin | undefined> {
  const [row] = await tx.execute<PendingCliLogin>(sql`select * from cli_login_pending(${userHash})`);
  return row;
}

export async function decideCliLogin(
  tx: Tx,
  decision: { userHash: string; approve: boolean; environmentIds: string[]; access: string | null },
): Promise<boolean> {
  const ids = `{${decision.environmentIds.join(",")}}`;
  const [row] = await tx.execute<{ ok: boolean }>(sql`
    select cli_login_decide(${decision.userHash}, ${decision.approve}, ${ids}::uuid[], ${decision.access}) as ok`);
  return row.ok;
}

export type PolledCliLogin = {
  id: string;
  status: "pending" | "approved" | "denied" | "delivered";
  expired: boolean;
  too_soon: boolean;
  organization_id: string | null;
  decided_by: string | null;
  decider_role: string | null;
  environment_ids: string[] | null;
  access: "read" | "read-write" | null;
  client_name: string;
};

export async function pollCliLogin(tx: Database | Tx, deviceHash: string, minGapSeconds: number) {
  const [row] = await tx.execute<PolledCliLogin>(sql`
    select * from cli_login_poll(${deviceHash}, make_interval(secs => ${minGapSeconds}))`);
  return row;
}

export async function deliverCliLogin(tx: Tx, deviceHash: string, tokenId: string): Promise<boolean> {
  const [row] = await tx.execute<{ ok: boolean }>(
    sql`select cli_login_deliver(${deviceHash}, ${tokenId}) as ok`,
  );
  return row.ok;
}
