import { describe, expect, it } from "vitest";
import { consentSatisfied, grantedConsent, requiredConsent } from "@/lib/destinations/consent";
import { DESTINATION_TYPES, DESTINATIONS, parseDestinationSettings } from "@/lib/destinations/types";

const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("destination types (seed 003)", () => {
  it("type each destination's settings, with an error per field", () => {
    const ga = parseDestinationSettings("google-analytics", {
      measurementId: "G-AB12CD34",
      anonymizeIp: "on",
    });
    expect(ga.success && ga.data).toMatchObject({
      measurementId: "G-AB12CD34",
      anonymizeIp: true,
      enableServerSide: false,
    });
    expect(errorsOf(parseDestinationSettings("google-analytics", { measurementId: "UA-1234-5" }))).toEqual({
      measurementId: "A measurement id looks like G-XXXXXXX",
    });
    expect(errorsOf(parseDestinationSettings("meta-pixel", { pixelId: "12ab", apiVersion: "19" }))).toEqual({
      pixelId: "A pixel id is digits only",
      apiVersion: "An API version looks like v19.0",
    });
    expect(errorsOf(parseDestinationSettings("posthog", { host: "ftp://eu.posthog.com" }))).toEqual({
      host: "Host must be an https:// address",
    });
    const amp = parseDestinationSettings("amplitude", {});
    expect(amp.success && amp.data).toMatchObject({ serverZone: "US" });
  });

  it("keep every key-like field in the vault under a variable name of its own, server secrets marked so", () => {
    for (const type of DESTINATION_TYPES) {
      const { vault, settings } = DESTINATIONS[type];
      for (const f of vault) {
        expect(f.variable).toMatch(/^[A-Z][A-Z0-9_]*$/);
        // A vault field is never also a plain setting.
        expect(Object.keys((settings as unknown as { shape: object }).shape)).not.toContain(f.field);
      }
    }
    expect(DESTINATIONS["google-analytics"].vault).toEqual([
      expect.objectContaining({ field: "apiSecret", exposure: "server" }),
    ]);
    expect(DESTINATIONS["meta-pixel"].vault.map((f) => f.exposure)).toEqual(["server"]);
    const variables = DESTINATION_TYPES.flatMap((t) => DESTINATIONS[t].vault.map((f) => f.variable));
    expect(new Set(variables).size).toBe(variables.length);
  });
});

describe("consent", () => {
  it("is a set of seed 003's purposes, in their order, and refuses others", () => {
    expect(requiredConsent.parse(["marketing", "measurement", "marketing"])).toEqual([
      "measurement",
      "marketing",
    ]);
    expect(requiredConsent.safeParse(["advertising"]).success).toBe(false);
    expect(grantedConsent.parse(" measurement , marketing,")).toEqual(["measurement", "marketing"]);
    expect(grantedConsent.parse("")).toEqual([]);
    expect(grantedConsent.safeParse("measurement,tracking").success).toBe(false);
  });

  it("is satisfied only when everything required was granted; necessary needs no grant", () => {
    expect(consentSatisfied(["measurement"], ["measurement", "marketing"])).toBe(true);
    expect(consentSatisfied(["measurement", "marketing"], ["measurement"])).toBe(false);
    expect(consentSatisfied(["necessary"], [])).toBe(true);
    expect(consentSatisfied([], [])).toBe(true);
  });
});
