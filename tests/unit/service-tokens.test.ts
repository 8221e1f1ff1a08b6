import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  newServiceToken,
  SERVICE_TOKEN_LENGTH,
  SERVICE_TOKEN_PREFIX,
  tokenHint,
  tokenShape,
} from "@/lib/service-tokens";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Reads base62 back (independently of the module's encoder). */
const fromBase62 = (s: string) => [...s].reduce((n, c) => n * 62 + BASE62.indexOf(c), 0);

describe("service token format", () => {
  it("is rb_st_, 32 random base62 characters and a CRC-32 checksum in 6 more", () => {
    const token = newServiceToken();
    expect(token).toMatch(/^rb_st_[0-9A-Za-z]{38}$/);
    expect(token).toHaveLength(SERVICE_TOKEN_LENGTH);
    expect(fromBase62(token.slice(-6))).toBe(crc32(token.slice(0, -6)));
    expect(tokenShape(token)).toBe("ok");
  });

  it("draws every base62 character evenly, and never repeats a token", () => {
    const tokens = Array.from({ length: 10_000 }, newServiceToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    const counts = new Map<string, number>();
    for (const t of tokens) for (const c of t.slice(6, 38)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // A draw of byte % 62 without rejection gives "0"–"7" 5 chances in 256 and the rest 4: 1.25 × as often.
    const mean = (chars: string[]) => chars.reduce((n, c) => n + (counts.get(c) ?? 0), 0) / chars.length;
    const ratio = mean([..."01234567"]) / mean([...BASE62.slice(8)]);
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });

  it("tells a typo from a token that is not one", () => {
    const token = newServiceToken();
    const i = 10;
    const typo = token.slice(0, i) + (token[i] === "a" ? "b" : "a") + token.slice(i + 1);
    expect(tokenShape(typo)).toBe("checksum");
    const swapped = token.slice(0, 8) + token[9] + token[8] + token.slice(10);
    if (swapped !== token) expect(tokenShape(swapped)).toBe("checksum");
    expect(tokenShape(token.slice(0, -1))).toBe("malformed"); // truncated
    expect(tokenShape(`${token}x`)).toBe("malformed");
    expect(tokenShape(token.replace(SERVICE_TOKEN_PREFIX, "rb_pt_"))).toBe("malformed");
    expect(tokenShape(` ${token}`)).toBe("malformed");
    expect(tokenShape(`${token.slice(0, 20)}-${token.slice(21)}`)).toBe("malformed");
    expect(tokenShape("")).toBe("malformed");
  });

  it("is listed later by its prefix and four characters only", () => {
    const token = newServiceToken();
    expect(tokenHint(token)).toBe(`${token.slice(0, 10)}…`);
    expect(token.includes(tokenHint(token).slice(0, -1))).toBe(true);
    expect(tokenHint(token).length).toBeLessThan(12);
  });
});
