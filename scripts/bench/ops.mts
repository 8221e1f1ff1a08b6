/**
 * The operator console and the usage figures on the bench's database (issue 17): what `/ops` reads for its
 * page (database health, queues, backups, alerts; seed 001's dashboard target: the whole page within 2 s), the
 * every-organization usage list of `/ops/usage`, and one organization's Settings → Usage (its storage sums every
 * value and version).
 */
import postgres from "postgres";
import type { TenantContext } from "@/db/context";
import type { recorder } from "./measure.mts";

export async function benchOps(
  ctx: TenantContext,
  superUrl: string,
  runs: number,
  record: ReturnType<typeof recorder>,
) {
  const { withContext } = await import("@/db/context");
  const { databaseOverview } = await import("@/server/ops/database");
  const { alertsOverview } = await import("@/server/ops/alerts");
  const { usageBoard, usageOf } = await import("@/server/usage/usage");
  // The bench's owner is made an operator, as `npm run ops:grant` would.
  const su = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    await su`insert into installation_operators (user_id, granted_by) values (${ctx.userId}, 'bench')
             on conflict do nothing`;
  } finally {
    await su.end();
  }
  const operator = { userId: ctx.userId };
  await record(
    "operator console /ops: database health, queues, backups and alerts (the page's reads)",
    runs,
    () => Promise.all([databaseOverview(operator), alertsOverview(operator)]),
    2000,
  );
  await record(
    "operator console /ops/usage: every organization's usage",
    runs,
    () => usageBoard(operator),
    2000,
  );
  await record(
    "Settings → Usage (counts, today's requests, storage of every value and version)",
    runs,
    () => withContext(ctx, (tx) => usageOf(tx, ctx)),
    500,
  );
}
