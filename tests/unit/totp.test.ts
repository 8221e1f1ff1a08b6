import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { DecryptionError, generateKey } from "@/lib/crypto";
import { qrDataUri } from "@/lib/qr";
import {
  checkTotp,
  groupSecret,
  newTotpSecret,
  normalizeCode,
  openTotpSecret,
  sealTotpSecret,
  TOTP,
  totpAad,
  totpUri,
} from "@/lib/totp";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (base32 below); codes are the last six digits.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const at = (seconds: number) => new Date(seconds * 1000);
const codeAt = (secret: string, seconds: number) => generate({ secret, epoch: seconds });

describe("TOTP codes (RFC 6238, SHA-1, 6 digits, 30 s)", () => {
  it("accepts the RFC 6238 test vectors and says which step matched", async () => {
    expect(await checkTotp(RFC_SECRET, "287082", { at: at(59) })).toEqual({ ok: true, step: 1 });
    expect(await checkTotp(RFC_SECRET, "081804", { at: at(1111111109) })).toEqual({
      ok: true,
      step: Math.floor(1111111109 / 30),
    });
    expect(await checkTotp(RFC_SECRET, "005924", { at: at(1234567890) })).toMatchObject({ ok: true });
  });

  it("allows one step of clock drift either way, and no more", async () => {
    const now = 1_700_000_015; // the middle of a step
    const step = Math.floor(now / 30);
    for (const [offset, ok] of [
      [-60, false],
      [-30, true],
      [0, true],
      [30, true],
      [60, false],
    ] as const) {
      const code = await codeAt(RFC_SECRET, now + offset);
      const result = await checkTotp(RFC_SECRET, code, { at: at(now) });
      expect(result.ok, `offset ${offset}s`).toBe(ok);
      if (result.ok) expect(result.step).toBe(step + offset / 30);
    }
  });

  it("refuses a replayed code: the accepted step and every earlier one", async () => {
    const now = 1_700_000_015;
    const step = Math.floor(now / 30);
    const current = await codeAt(RFC_SECRET, now);
    const previous = await codeAt(RFC_SECRET, now - 30);
    const next = await codeAt(RFC_SECRET, now + 30);
    expect(await checkTotp(RFC_SECRET, current, { at: at(now), afterStep: step })).toEqual({ ok: false });
    expect(await checkTotp(RFC_SECRET, previous, { at: at(now), afterStep: step })).toEqual({ ok: false });
    expect(await checkTotp(RFC_SECRET, next, { at: at(now), afterStep: step })).toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it("refuses wrong, malformed and empty codes without throwing, and takes spaces", async () => {
    const now = 1_700_000_015;
    const code = await codeAt(RFC_SECRET, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (const input of [wrong, "", "12345", "1234567", "abcdef", "12 34 5", "１２３４５６"])
      expect(await checkTotp(RFC_SECRET, input, { at: at(now) }), input).toEqual({ ok: false });
    expect(
      await checkTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, { at: at(now) }),
    ).toMatchObject({
      ok: true,
    });
    expect(normalizeCode(" 123 456 ")).toBe("123456");
    expect(normalizeCode("12345a")).toBeNull();
  });
});

describe("TOTP enrolment material", () => {
  it("makes a new 160-bit base32 secret every time", () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(a).not.toBe(b);
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });

  it("builds the otpauth:// URI an authenticator app expects", () => {
    const uri = new URL(totpUri("JBSWY3DPEHPK3PXP", "ada@example.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Ringbearer:ada@example.test");
    expect(uri.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(uri.searchParams.get("issuer")).toBe(TOTP.issuer);
    // SHA-1, 6 digits and 30 s are the Key URI format's defaults: apps assume them when they are absent.
    expect(uri.searchParams.get("algorithm") ?? "SHA1").toBe("SHA1");
    expect(uri.searchParams.get("digits") ?? "6").toBe("6");
    expect(uri.searchParams.get("period") ?? "30").toBe("30");
  });

  it("renders the URI as an SVG QR code on the server", async () => {
    const uri = await qrDataUri(totpUri("JBSWY3DPEHPK3PXP", "ada@example.test"));
    expect(uri).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(uri.split(",")[1], "base64").toString("utf8");
    expect(svg).toContain("<svg");
    expect(svg).not.toContain("<script");
  });
});

describe("TOTP secret at rest", () => {
  it("is sealed under the master key, bound to its user", () => {
    const kek = generateKey();
    const secret = newTotpSecret();
    const sealed = sealTotpSecret(kek, "user-1", secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toBe(sealTotpSecret(kek, "user-1", secret));
    expect(openTotpSecret(kek, "user-1", sealed)).toBe(secret);
    expect(totpAad("user-1")).toBe("ringbearer:totp:v1:user-1");
    // Copied onto another user's row, or opened with another master key, it does not open.
    expect(() => openTotpSecret(kek, "user-2", sealed)).toThrow(DecryptionError);
    expect(() => openTotpSecret(generateKey(), "user-1", sealed)).toThrow(DecryptionError);
  });
});
