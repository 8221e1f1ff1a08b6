import { describe, expect, it } from "vitest";
import { configSettings, PLATFORM_SPECS, PLATFORMS } from "@/lib/integrations/platforms";
import { configChangeRisk } from "@/lib/integrations/risk";

const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("integration config settings (seed 002)", () => {
  it("default to an hourly inbound sync with no rules", () => {
    expect(configSettings("stripe").parse({})).toEqual({
      syncIntervalMinutes: 60,
      syncDirection: "inbound",
      features: {},
      mappingRules: [],
      filterRules: [],
      transformRules: [],
    });
  });

  it("say which field is wrong: interval, direction, an unknown feature, a rule", () => {
    const bad = configSettings("hubspot").safeParse({
      syncIntervalMinutes: 1,
      syncDirection: "sideways",
      features: { syncContacts: true, syncInvoices: true },
      mappingRules: [
        { from: "email", to: "contact.email" },
        { from: "mail", to: "contact.email" },
      ],
      filterRules: [
        { field: "lifecycle stage", op: "eq", value: "customer" },
        { field: "owner", op: "matches", value: ".*" },
      ],
      transformRules: [{ field: "email", op: "eval", value: "x" }],
    });
    expect(errorsOf(bad)).toEqual({
      syncIntervalMinutes: "Sync at most every 5 minutes",
      syncDirection: "Choose inbound, outbound, bidirectional",
      "features.syncInvoices": "HubSpot has no feature syncInvoices",
      "mappingRules.1.to": "contact.email is mapped twice",
      "filterRules.0.field": "A field is a name or a dotted path such as customer.email",
      "filterRules.1.op": "A filter is eq, neq, in or exists",
      "transformRules.0.op": "A transform is trim, lowercase, uppercase, prefix, suffix or cents_to_units",
    });
  });

  it("keep every secret of every platform in the vault, server-side but for Stripe's publishable key", () => {
    for (const p of PLATFORMS)
      for (const fields of Object.values(PLATFORM_SPECS[p].vault))
        for (const f of fields ?? []) {
          expect(f.variable).toMatch(/^[A-Z][A-Z0-9_]*$/);
          expect(f.exposure).toBe(f.field === "publishableKey" ? "client" : "server");
        }
  });
});

describe("the risk of a configuration change (seed 002)", () => {
  const before = { syncIntervalMinutes: 60, syncDirection: "inbound", host: "https://api.example" };
  it("is LOW for the sync interval, MEDIUM for an endpoint, HIGH for a secret, CRITICAL for a deletion", () => {
    expect(
      configChangeRisk({
        kind: "update",
        before,
        after: { ...before, syncIntervalMinutes: 15 },
        secretsChanged: [],
      }),
    ).toEqual({
      level: "LOW",
      reasons: ["changes syncIntervalMinutes"],
    });
    expect(
      configChangeRisk({
        kind: "update",
        before,
        after: { ...before, host: "https://eu.example" },
        secretsChanged: [],
      }).level,
    ).toBe("MEDIUM");
    expect(
      configChangeRisk({ kind: "update", before, after: before, secretsChanged: ["secretKey"] }),
    ).toEqual({
      level: "HIGH",
      reasons: ["changes secretKey"],
    });
    expect(configChangeRisk({ kind: "delete" }).level).toBe("CRITICAL");
    expect(configChangeRisk({ kind: "update", before, after: before, secretsChanged: [] })).toEqual({
      level: "LOW",
      reasons: [],
    });
  });
});
