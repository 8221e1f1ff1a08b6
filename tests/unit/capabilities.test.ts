import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allows, CAPABILITIES, isTiered, TIERS } from "@/lib/capabilities";
import { capabilityTableMarkdown, DOC_BEGIN, DOC_END } from "@/lib/capabilities-doc";
import { valueChangeControl } from "@/lib/controls";
import { ROLES } from "@/lib/roles";

describe("the capabilities table", () => {
  it("gives an organization-wide capability in every tier or in none", () => {
    const uneven = CAPABILITIES.filter((c) => !isTiered(c)).flatMap((c) =>
      ROLES.filter((r) => new Set(TIERS.map((t) => allows(r, c, t))).size > 1).map((r) => `${r} ${c}`),
    );
    expect(uneven).toEqual([]);
  });

  it("nests the value permissions: admin ⊂ write ⊂ read ⊂ metadata, and drift:resolve ⊇ write", () => {
    const broken: string[] = [];
    for (const r of ROLES)
      for (const t of TIERS) {
        const has = (c: (typeof CAPABILITIES)[number]) => allows(r, c, t);
        if (has("value:admin") && !has("value:write")) broken.push(`${r} ${t}: admin without write`);
        if (has("value:write") && !has("value:read")) broken.push(`${r} ${t}: write without read`);
        if (has("value:read") && !has("value:metadata")) broken.push(`${r} ${t}: read without metadata`);
        if (has("value:write") && !has("drift:resolve"))
          broken.push(`${r} ${t}: write without drift:resolve`);
      }
    expect(broken).toEqual([]);
  });

  it("is what docs/security.md shows (npm run docs:capabilities rewrites it)", () => {
    const doc = readFileSync("docs/security.md", "utf8");
    const section = doc.slice(doc.indexOf(DOC_BEGIN) + DOC_BEGIN.length, doc.indexOf(DOC_END)).trim();
    expect(doc.includes(DOC_BEGIN)).toBe(true);
    expect(section).toBe(capabilityTableMarkdown());
  });
});

describe("the UI's controls follow the table and its widening", () => {
  const lock = { until: new Date("2026-12-05T23:59:00Z"), timeZone: "UTC" };
  const locked = (role: "viewer" | "on_call", emergencyGrant: boolean) =>
    valueChangeControl({
      role,
      permission: "write",
      environment: "production",
      lock,
      emergency: false,
      emergencyGrant,
    });

  it("offers break-glass to emergency:open roles, and to a holder of an emergency grant (as the server allows)", () => {
    expect(locked("on_call", false)).toMatchObject({ state: "locked", breakGlass: true });
    expect(locked("viewer", false)).toMatchObject({ state: "locked", breakGlass: false });
    expect(locked("viewer", true)).toMatchObject({ state: "locked", breakGlass: true });
  });
});
