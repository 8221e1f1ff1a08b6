// Rewrites the capabilities table in docs/security.md from lib/capabilities.ts (tests/unit/capabilities.test.ts
// fails while the two differ).
import { readFileSync, writeFileSync } from "node:fs";
import { capabilityTableMarkdown, DOC_BEGIN, DOC_END } from "../lib/capabilities-doc.ts";

const path = "docs/security.md";
const doc = readFileSync(path, "utf8");
const start = doc.indexOf(DOC_BEGIN);
const end = doc.indexOf(DOC_END);
if (start < 0 || end < start) throw new Error(`${path} has no ${DOC_BEGIN} … ${DOC_END} section`);
writeFileSync(
  path,
  `${doc.slice(0, start + DOC_BEGIN.length)}\n${capabilityTableMarkdown()}\n${doc.slice(end)}`,
);
console.log(`${path}: capabilities table written`);
