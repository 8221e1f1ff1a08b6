import "server-only";
import { LRUCache } from "lru-cache";
import { subscribe } from "../live";

/**
 * One answered read: the formatted body, its entity tag, how many values it holds, and the other environments its
 * references were resolved from (the answer stands only for a reader who may still read them).
 */
export type CachedRead = { etag: string; body: string; count: number; referred: string[] };

/** What a read's answer depends on besides the token's checks, which run on every request. */
export type ReadKey = {
  organizationId: string;
  environmentId: string;
  /** organization_value_versions (0029): changes with every write of a value or a variable. */
  valueVersion: number;
  format: string;
  namePrefix: string | null;
  tag: string | null;
};

type Entry = CachedRead & { organizationId: string };

/** Decrypted answers stay in memory at most this long, however often they are read. */
const TTL_MS = 5 * 60_000;
const DEFAULT_MB = 64;

const state = globalThis as unknown as { ringbearerReadCache?: LRUCache<string, Entry> | null };

/**
 * The per-instance cache of machine reads (issue 14, fast reads). An answer is kept under the organization's value
 * version, read in the request's own transaction, so a write anywhere in the organization makes every earlier
 * answer unreachable at once, on every instance. The LISTEN/NOTIFY bus (server/live.ts) only frees their memory
 * early: each instance drops an organization's answers when its values change. Bounded by
 * RINGBEARER_READ_CACHE_MB (default 64; 0 turns it off) and by a five-minute lifetime.
 */
function readCache(): LRUCache<string, Entry> | null {
  if (state.ringbearerReadCache !== undefined) return state.ringbearerReadCache;
  const mb = Number(process.env.RINGBEARER_READ_CACHE_MB?.trim() || DEFAULT_MB);
  if (!Number.isInteger(mb) || mb <= 0) {
    state.ringbearerReadCache = null;
    return null;
  }
  const cache = new LRUCache<string, Entry>({
    maxSize: mb * 1024 * 1024,
    // UTF-16 in memory, plus the key and the entry's other fields.
    sizeCalculation: (entry, key) => 2 * (entry.body.length + key.length) + 40 * entry.referred.length + 256,
    ttl: TTL_MS,
  });
  state.ringbearerReadCache = cache;
  subscribe((event) => {
    if (event.kind !== "values") return;
    for (const [key, entry] of cache.entries()) if (entry.organizationId === event.org) cache.delete(key);
  });
  return cache;
}

const keyOf = (k: ReadKey) =>
  JSON.stringify([k.organizationId, k.environmentId, k.valueVersion, k.format, k.namePrefix, k.tag]);

/** The cached answer for exactly this key, if this instance has one. */
export function cachedRead(key: ReadKey): CachedRead | undefined {
  return readCache()?.get(keyOf(key));
}

/** Keeps an answer for later reads under the same key (a no-op when the cache is off). */
export function rememberRead(key: ReadKey, read: CachedRead): void {
  readCache()?.set(keyOf(key), { ...read, organizationId: key.organizationId });
}

/** Forgets every cached answer (tests; a key rotation would too). */
export function clearReadCache(): void {
  readCache()?.clear();
}
