/**
 * Passwords are checked without the hash ever leaving PostgreSQL: the database hands out only the PHC
 * parameters and salt of the stored argon2id hash (`password_params`), the app computes the same hash of the
 * typed password with them, and the database compares the two (`password_check`). A SQL injection can read
 * salts, which are not secret, but no function or column the app role may read returns a hash.
 */
export type HashParams = {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  salt: Buffer;
  outputLen: number;
};

const PHC_PREFIX = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,64})$/;

/**
 * Reads `$argon2id$v=19$m=…,t=…,p=…$<salt>` and the length (in base64 characters) of the stored digest.
 * Null for anything else (another algorithm or version, or costs out of any sane range), which then matches
 * no password.
 */
export function parseHashPrefix(prefix: string, digestChars: number): HashParams | null {
  const m = PHC_PREFIX.exec(prefix);
  if (!m || !Number.isInteger(digestChars) || digestChars < 22 || digestChars > 172) return null;
  const [memoryCost, timeCost, parallelism] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (memoryCost < 8 || memoryCost > 1_048_576 || timeCost < 1 || parallelism < 1 || parallelism > 16)
    return null;
  return {
    memoryCost,
    timeCost,
    parallelism,
    salt: Buffer.from(m[4], "base64"),
    outputLen: Math.floor((digestChars * 3) / 4),
  };
}
