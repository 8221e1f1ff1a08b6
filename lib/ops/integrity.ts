/**
 * What an integrity check of one organization found (issue 17), and the alerts it raises: pure. The counts come
 * from db/repos/ops-integrity.ts, the chain from verify_audit_chain, the sample from decrypting values.
 */
export type IntegrityReport = {
  organization: { slug: string; name: string };
  counts: Record<string, number>;
  chain: { rows: number; brokenSeq: number | null; reason: string | null };
  /** Per data key: sampled values, and how many decrypted to their stored hash. */
  sample: { keyId: string; checked: number; passed: number }[];
};

export const INTEGRITY_RULES = ["chain_break", "integrity"] as const;

const COUNT_TEXT: Record<string, string> = {
  valuesWithoutVariable: "values whose variable is not the organization's",
  valuesWithoutEnvironment: "values whose environment is not the organization's",
  historyWithoutVariable: "history rows whose variable is not the organization's",
  valuesWithoutKey: "values sealed by a key the organization does not have",
  historyWithoutKey: "history rows sealed by a key the organization does not have",
};

/** The problems of a report, as sentences; none means it passed. */
export function integrityProblems(r: IntegrityReport): string[] {
  const problems = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${COUNT_TEXT[k] ?? k}`);
  for (const s of r.sample)
    if (s.passed < s.checked)
      problems.push(
        `${s.checked - s.passed} of ${s.checked} sampled values under ${s.keyId} do not decrypt to their hash`,
      );
  return problems;
}

export function integrityFindings(organizationId: string, r: IntegrityReport) {
  const found: {
    rule: (typeof INTEGRITY_RULES)[number];
    subject: string;
    severity: "critical";
    message: string;
  }[] = [];
  if (r.chain.brokenSeq !== null)
    found.push({
      rule: "chain_break",
      subject: organizationId,
      severity: "critical",
      message: `The audit chain of ${r.organization.name} breaks at row ${r.chain.brokenSeq}: ${r.chain.reason ?? "it does not verify"}.`,
    });
  const problems = integrityProblems(r);
  if (problems.length > 0)
    found.push({
      rule: "integrity",
      subject: organizationId,
      severity: "critical",
      message: `${r.organization.name}: ${problems.join("; ")}.`,
    });
  return found;
}
