import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The WCAG 2.0 and 2.1 A/AA rules, and 2.5.3 "label in name" (axe keeps it among its experimental rules). */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One line per rule and one per offending element, e.g. "color-contrast (serious, 3): …  td > span: …". */
export function describeViolations(violations: Violation[]) {
  return violations
    .map((v) =>
      [
        `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}`,
        ...v.nodes.map(
          (n) => `    ${n.target.join(" ")}: ${(n.failureSummary ?? "").replaceAll("\n", " ").slice(0, 220)}`,
        ),
      ].join("\n"),
    )
    .join("\n");
}

/** The serious and critical violations axe finds on the page as it is now. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(TAGS)
    // Only violations are read: axe then keeps one example of each passed check, not every node (big pages).
    .options({ resultTypes: ["violations"], rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Fails (softly, so one run lists every page) on any serious or critical axe violation, and on a page wider
 * than the window (a phone user would have to scroll the whole page sideways).
 */
export async function expectAccessible(page: Page, what: string) {
  const violations = await seriousViolations(page);
  const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
  const rules = violations.map((v) => `${v.id} ×${v.nodes.length}`).join(", ");
  expect
    .soft(
      nodes,
      `${what}: ${nodes} serious or critical axe violation(s) (${rules})\n${describeViolations(violations)}`,
    )
    .toBe(0);
  // Against the window the test asked for, not window.innerWidth: a phone's browser widens its layout
  // viewport to fit a page that is too wide (and zooms out), so innerWidth grows with the page.
  const width = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect
    .soft(scrollWidth, `${what}: the page is ${scrollWidth}px wide in a ${width}px window`)
    .toBeLessThanOrEqual(width);
}
