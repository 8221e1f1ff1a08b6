import { hash } from "@node-rs/argon2";
import type { Database, Tx } from "../client";
import { users } from "../schema";

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes). */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export async function createUser(
  database: Database | Tx,
  input: { email: string; name: string; password: string },
) {
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const [row] = await database
    .insert(users)
    .values({ email: input.email.trim().toLowerCase(), name: input.name, passwordHash })
    .returning({ id: users.id });
  return row;
}
