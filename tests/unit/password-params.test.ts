import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { parseHashPrefix } from "@/lib/password";

describe("password hash parameters", () => {
  it("recompute a stored argon2id hash byte for byte from its prefix", async () => {
    const stored = await hash("correct horse battery staple", {
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    const cut = stored.lastIndexOf("$");
    const params = parseHashPrefix(stored.slice(0, cut), stored.length - cut - 1);
    if (!params) throw new Error("expected the prefix to parse");
    expect(await hash("correct horse battery staple", params)).toBe(stored);
    expect(await hash("correct horse battery stapler", params)).not.toBe(stored);
  });

  it("refuse other algorithms, versions and absurd costs", () => {
    expect(parseHashPrefix("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0", 43)).toBeNull();
    expect(parseHashPrefix("$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0", 43)).toBeNull();
    expect(parseHashPrefix("$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHRzYWx0", 43)).toBeNull();
    expect(parseHashPrefix("$2b$12$abcdefghijklmnopqrstuv", 31)).toBeNull();
    expect(parseHashPrefix("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0", 43)?.outputLen).toBe(32);
  });
});
