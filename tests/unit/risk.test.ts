import { describe, expect, it } from "vitest";
import { needsApproval, type RiskInput, type RiskLevel, riskOf } from "@/lib/risk";

const value = (
  action: "value:set" | "value:delete",
  classification: "public" | "internal" | "confidential" | "wedding_day_critical",
  environmentType: "development" | "staging" | "production" | "disaster_recovery",
  weddingCritical = false,
): RiskInput => ({ action, classification, environmentType, weddingCritical });

const CASES: [string, RiskInput, RiskLevel][] = [
  ["set a public production value", value("value:set", "public", "production"), "LOW"],
  ["set an internal production value", value("value:set", "internal", "production"), "MEDIUM"],
  [
    "set a confidential production value (an API key)",
    value("value:set", "confidential", "production"),
    "HIGH",
  ],
  [
    "set a wedding-day-critical production value",
    value("value:set", "wedding_day_critical", "production"),
    "CRITICAL",
  ],
  [
    "set a confidential, wedding-critical production value",
    value("value:set", "confidential", "production", true),
    "CRITICAL",
  ],
  [
    "set a public, wedding-critical production value",
    value("value:set", "public", "production", true),
    "HIGH",
  ],
  ["delete a public production value", value("value:delete", "public", "production"), "MEDIUM"],
  ["delete a confidential production value", value("value:delete", "confidential", "production"), "CRITICAL"],
  [
    "delete a wedding-critical production value",
    value("value:delete", "internal", "production", true),
    "CRITICAL",
  ],
  [
    "delete a wedding-day-critical DR value",
    value("value:delete", "wedding_day_critical", "disaster_recovery"),
    "CRITICAL",
  ],
  ["set a confidential staging value", value("value:set", "confidential", "staging"), "LOW"],
  [
    "set a wedding-day-critical staging value",
    value("value:set", "wedding_day_critical", "staging"),
    "MEDIUM",
  ],
  [
    "delete a wedding-day-critical staging value",
    value("value:delete", "wedding_day_critical", "staging"),
    "HIGH",
  ],
  ["set anything in development", value("value:set", "wedding_day_critical", "development", true), "LOW"],
  [
    "delete a wedding-day-critical development value",
    value("value:delete", "wedding_day_critical", "development"),
    "MEDIUM",
  ],
  [
    "reveal a public development value",
    { action: "value:reveal", classification: "public", environmentType: "development" },
    "LOW",
  ],
  [
    "reveal a confidential production value",
    { action: "value:reveal", classification: "confidential", environmentType: "production" },
    "MEDIUM",
  ],
  [
    "export production",
    { action: "value:export", classification: "internal", environmentType: "production" },
    "HIGH",
  ],
  [
    "create a variable",
    { action: "variable:create", classification: "wedding_day_critical", weddingCritical: true },
    "LOW",
  ],
  [
    "soft-delete an internal variable",
    { action: "variable:delete", classification: "internal", weddingCritical: false },
    "LOW",
  ],
  [
    "soft-delete a confidential variable",
    { action: "variable:delete", classification: "confidential", weddingCritical: false },
    "MEDIUM",
  ],
  [
    "soft-delete a wedding-critical variable",
    { action: "variable:delete", classification: "internal", weddingCritical: true },
    "HIGH",
  ],
  [
    "lower a classification",
    { action: "variable:update", from: "confidential", to: "internal", weddingCriticalRemoved: false },
    "HIGH",
  ],
  [
    "remove the wedding-critical flag",
    { action: "variable:update", from: "internal", to: "internal", weddingCriticalRemoved: true },
    "HIGH",
  ],
  [
    "raise a classification",
    { action: "variable:update", from: "internal", to: "confidential", weddingCriticalRemoved: false },
    "LOW",
  ],
  [
    "remove production's wedding-day protection",
    {
      action: "environment:update",
      from: { environmentType: "production", weddingDayProtection: true },
      to: { environmentType: "production", weddingDayProtection: false },
    },
    "HIGH",
  ],
  [
    "edit production's deploy URL",
    {
      action: "environment:update",
      from: { environmentType: "production", weddingDayProtection: true },
      to: { environmentType: "production", weddingDayProtection: true },
    },
    "MEDIUM",
  ],
  [
    "edit a development environment",
    {
      action: "environment:update",
      from: { environmentType: "development", weddingDayProtection: false },
      to: { environmentType: "development", weddingDayProtection: false },
    },
    "LOW",
  ],
  [
    "retype production as development (the review's four-eyes bypass)",
    {
      action: "environment:update",
      from: { environmentType: "production", weddingDayProtection: true },
      to: { environmentType: "development", weddingDayProtection: true },
    },
    "HIGH",
  ],
  [
    "retype development as production (values set there were never reviewed)",
    {
      action: "environment:update",
      from: { environmentType: "development", weddingDayProtection: false },
      to: { environmentType: "production", weddingDayProtection: false },
    },
    "HIGH",
  ],
  [
    "add wedding-day protection",
    {
      action: "environment:update",
      from: { environmentType: "staging", weddingDayProtection: false },
      to: { environmentType: "staging", weddingDayProtection: true },
    },
    "HIGH",
  ],
  ["change the time zone", { action: "settings:time_zone", from: "UTC", to: "Europe/London" }, "HIGH"],
  ["add a production sync target", { action: "target:create", environmentType: "production" }, "HIGH"],
  ["add a staging sync target", { action: "target:create", environmentType: "staging" }, "LOW"],
  [
    "delete a variable whose production value is confidential",
    {
      action: "variable:delete",
      classification: "confidential",
      weddingCritical: false,
      values: { level: "CRITICAL", reasons: ["confidential value in production"] },
    },
    "CRITICAL",
  ],
  [
    "restore a variable with a confidential production value",
    { action: "variable:restore", values: { level: "HIGH", reasons: ["confidential value"] } },
    "HIGH",
  ],
  ["restore a variable without values", { action: "variable:restore", values: null }, "LOW"],
  [
    "tag a variable into a read grant",
    {
      action: "variable:update",
      from: "confidential",
      to: "confidential",
      weddingCriticalRemoved: false,
      widens: { level: "MEDIUM", reasons: ["#ops-visible gives role developer read"] },
    },
    "MEDIUM",
  ],
  ["shorten wedding hours", { action: "protection:change", loosens: true }, "HIGH"],
  ["add a blackout", { action: "protection:change", loosens: false }, "LOW"],
  ["grant admin", { action: "policy:grant", permission: "admin", production: false }, "HIGH"],
  ["grant emergency", { action: "policy:grant", permission: "emergency", production: true }, "HIGH"],
  ["grant write on production", { action: "policy:grant", permission: "write", production: true }, "HIGH"],
  ["grant write on staging", { action: "policy:grant", permission: "write", production: false }, "MEDIUM"],
  ["grant read", { action: "policy:grant", permission: "read", production: true }, "MEDIUM"],
  ["revoke a policy", { action: "policy:revoke" }, "LOW"],
  ["make someone admin", { action: "member:role", to: "admin" }, "HIGH"],
  ["make someone a developer", { action: "member:role", to: "developer" }, "MEDIUM"],
  ["remove a member", { action: "member:remove" }, "MEDIUM"],
  ["invite an owner", { action: "member:invite", role: "owner" }, "HIGH"],
  ["invite an admin", { action: "member:invite", role: "admin" }, "HIGH"],
  ["invite a developer", { action: "member:invite", role: "developer" }, "MEDIUM"],
  ["invite a viewer", { action: "member:invite", role: "viewer" }, "MEDIUM"],
  ["revoke an invitation", { action: "invitation:revoke" }, "LOW"],
  [
    "move a production target",
    {
      action: "target:update",
      environmentType: "production",
      locationChanged: true,
      deleteUnmanagedEnabled: false,
    },
    "HIGH",
  ],
  [
    "let a disaster-recovery target delete keys it did not push",
    {
      action: "target:update",
      environmentType: "disaster_recovery",
      locationChanged: false,
      deleteUnmanagedEnabled: true,
    },
    "HIGH",
  ],
  [
    "change a production target's scan interval",
    {
      action: "target:update",
      environmentType: "production",
      locationChanged: false,
      deleteUnmanagedEnabled: false,
    },
    "MEDIUM",
  ],
  [
    "move a staging target that deletes unmanaged keys",
    {
      action: "target:update",
      environmentType: "staging",
      locationChanged: true,
      deleteUnmanagedEnabled: true,
    },
    "LOW",
  ],
];

describe("risk of a change", () => {
  for (const [name, input, expected] of CASES) {
    it(`${name}: ${expected}`, () => {
      const risk = riskOf(input);
      expect(risk.level).toBe(expected);
      expect(risk.reasons.length).toBeGreaterThan(0);
    });
  }

  it("asks for approval from HIGH up", () => {
    expect(["LOW", "MEDIUM", "HIGH", "CRITICAL"].map((l) => needsApproval(l as RiskLevel))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});
