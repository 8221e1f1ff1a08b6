import { sql } from "drizzle-orm";
import { createDb, type Database, getDb } from "./client";

/**
 * Reads sent to a streaming replica (issue 17, docs/scaling.md): DATABASE_REPLICA_URL, the app role on a hot standby
 * of the primary. A read goes there only when the replica is known to hold everything the primary had committed at
 * most RINGBEARER_REPLICA_MAX_LAG_SECONDS ago (default 5), and every write this instance made for the organization;
 * otherwise, and whenever the replica does not answer, to the primary.
 *
 * How fresh the replica is: at most once a second this instance notes the primary's WAL position, with the time,
 * and asks the replica how far it has replayed. The newest noted position the replica has replayed bounds how old
 * its data can be — a replica cut off from the primary, or paused, ages even though it reports no lag of its own.
 */
const CHECK_EVERY_MS = 1000;
const KEEP_SAMPLES = 120;

type Sample = { at: number; lsn: bigint };
type State = {
  db: Database;
  samples: Sample[];
  replayed: bigint | null;
  checkedAt: number;
  checking?: Promise<void>;
  /** The primary's WAL position after this instance's latest write, per organization. */
  writes: Map<string, bigint>;
};

const holder = globalThis as unknown as { ringbearerReplica?: State | null };

/** "16/B374D848" → a number that orders as the WAL does. */
export function parseLsn(text: string): bigint {
  const [hi, lo] = text.split("/");
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

export const replicaMaxLagSeconds = () => {
  const n = Number(process.env.RINGBEARER_REPLICA_MAX_LAG_SECONDS ?? "5");
  return Number.isFinite(n) && n >= 0 ? n : 5;
};

function state(): State | null {
  if (holder.ringbearerReplica !== undefined) return holder.ringbearerReplica;
  const url = process.env.DATABASE_REPLICA_URL;
  holder.ringbearerReplica = url
    ? { db: createDb(url, { max: 5 }), samples: [], replayed: null, checkedAt: 0, writes: new Map() }
    : null;
  return holder.ringbearerReplica;
}

/** Whether reads may go to a replica at all (DATABASE_REPLICA_URL is set). */
export const replicaConfigured = () => state() !== null;

async function check(s: State) {
  const [primary] = await getDb().execute<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`);
  s.samples.push({ at: Date.now(), lsn: parseLsn(primary.lsn) });
  if (s.samples.length > KEEP_SAMPLES) s.samples.shift();
  try {
    const [replica] = await s.db.execute<{ replayed: string | null }>(
      sql`select case when pg_is_in_recovery() then pg_last_wal_replay_lsn()::text end as replayed`,
    );
    s.replayed = replica.replayed ? parseLsn(replica.replayed) : null;
  } catch {
    s.replayed = null; // not answering: the primary serves until it does
  }
  s.checkedAt = Date.now();
}

/**
 * How many seconds old the replica's data may be, by what it has replayed (Infinity: unknown, not answering, or
 * not a standby).
 */
export async function replicaStaleness(): Promise<number> {
  const s = state();
  if (!s) return Number.POSITIVE_INFINITY;
  if (Date.now() - s.checkedAt >= CHECK_EVERY_MS) {
    s.checking ??= check(s).finally(() => {
      s.checking = undefined;
    });
    await s.checking;
  }
  if (s.replayed === null) return Number.POSITIVE_INFINITY;
  for (let i = s.samples.length - 1; i >= 0; i--)
    if (s.replayed >= s.samples[i].lsn) return (Date.now() - s.samples[i].at) / 1000;
  return Number.POSITIVE_INFINITY;
}

/**
 * Where an organization's read goes: the replica when it is fresh enough and holds this instance's latest write
 * for the organization, else the primary. `replica` says which.
 */
export async function readDatabase(organizationId: string): Promise<{ db: Database; replica: boolean }> {
  const s = state();
  if (!s) return { db: getDb(), replica: false };
  const staleness = await replicaStaleness();
  const written = s.writes.get(organizationId);
  const holdsWrite = written === undefined || (s.replayed !== null && s.replayed >= written);
  return staleness <= replicaMaxLagSeconds() && holdsWrite
    ? { db: s.db, replica: true }
    : { db: getDb(), replica: false };
}

/**
 * After a transaction that wrote for an organization: its next reads wait for the replica to replay this far
 * (read-your-writes, on this instance). Nothing without a replica.
 */
export async function noteWrite(organizationId: string) {
  const s = state();
  if (!s) return;
  const [row] = await getDb().execute<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`);
  const lsn = parseLsn(row.lsn);
  if ((s.writes.get(organizationId) ?? 0n) < lsn) s.writes.set(organizationId, lsn);
}

/** Forgets the writes noted (as another instance, which never saw them, would read). */
export function forgetWrites() {
  holder.ringbearerReplica?.writes.clear();
}

/** For tests: forget the replica and everything noted (the next call reads the environment again). */
export async function resetReplica() {
  const s = holder.ringbearerReplica;
  holder.ringbearerReplica = undefined;
  await s?.db.$client.end({ timeout: 5 });
}
