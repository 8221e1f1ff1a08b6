import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Database, Tx } from "@/db/client";
import { insertUser } from "@/db/repos/users";

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes). */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Creates an account. The id is made here: RLS shows the app role a user only in a request context that
 * includes them, so the new row is not read back (no RETURNING).
 */
export async function createUser(
  database: Database | Tx,
  input: { email: string; name: string; password: string },
) {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const id = randomUUID();
  await insertUser(database, { id, email: input.email.trim().toLowerCase(), name: input.name, passwordHash });
  return { id };
}
