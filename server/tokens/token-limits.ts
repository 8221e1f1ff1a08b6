import "server-only";
import type { Database } from "@/db/client";
import { type Limit, reserve } from "../auth/rate-limits";

/** Requests per minute one token may make unless RINGBEARER_TOKEN_RATE_LIMIT says otherwise. */
export const DEFAULT_TOKEN_RATE_LIMIT = 600;

/** The per-token limit: counted in PostgreSQL, so every instance of the console shares it. */
export function tokenLimit(tokenId: string, env: Record<string, string | undefined> = process.env): Limit {
  const configured = Number(env.RINGBEARER_TOKEN_RATE_LIMIT?.trim() || DEFAULT_TOKEN_RATE_LIMIT);
  const max = Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_TOKEN_RATE_LIMIT;
  return { key: `token:${tokenId}`, max, windowMinutes: 1 };
}

/** Takes one request from the token's minute: the seconds to wait when it has none left. */
export async function takeTokenRequest(database: Database, tokenId: string): Promise<number | null> {
  const taken = await reserve(database, tokenLimit(tokenId));
  return taken.ok ? null : taken.retryAfterSeconds;
}
