import { CAPABILITIES, CAPABILITY_TABLE, CAPABILITY_WORDS, isTiered, TIERS } from "./capabilities";
import { ROLES } from "./roles";

const TIER_WORDS = { lower: "development/testing", staging: "staging", production: "production/DR" } as const;

/**
 * docs/security.md's capabilities table, written from lib/capabilities.ts (a unit test holds the doc to it):
 * one row per capability, one column per role; a cell is `✓` (every tier), `—` (none) or the tiers.
 */
export function capabilityTableMarkdown(): string {
  const rows: string[][] = CAPABILITIES.map((c) => {
    const cells = ROLES.map((r) => {
      const tiers = CAPABILITY_TABLE[c][r];
      if (tiers.length === TIERS.length) return "✓";
      if (tiers.length === 0) return "—";
      return tiers.map((t) => TIER_WORDS[t]).join(", ");
    });
    return [`\`${c}\`${isTiered(c) ? " (per tier)" : ""}: ${CAPABILITY_WORDS[c]}`, ...cells];
  });
  const table = [["capability", ...ROLES], ...rows];
  // Padded as the formatter (biome) writes Markdown tables, so `npm run check` leaves it as generated.
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(table[0]), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export const DOC_BEGIN =
  "<!-- capabilities:begin (generated from lib/capabilities.ts: npm run docs:capabilities) -->";
export const DOC_END = "<!-- capabilities:end -->";
