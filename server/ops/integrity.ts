import { type Database, getDb } from "@/db/client";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { jobContexts, jobRunnerProofNow } from "@/db/job-contexts";
import { ensureAuditPartitions, verifyChainIn } from "@/db/repos/audit";
import { insertOpsEvent } from "@/db/repos/operators";
import { recordAlerts } from "@/db/repos/ops-alerts";
import { integrityCounts, integrityResults, recordIntegrity, sampleByKey } from "@/db/repos/ops-integrity";
import { organizationLabel } from "@/db/repos/organizations";
import { orgVault } from "@/db/vault";
import {
  INTEGRITY_RULES,
  type IntegrityReport,
  integrityFindings,
  integrityProblems,
} from "@/lib/ops/integrity";
import { log } from "@/server/log";
import { operatorName, requireOperator } from "./operators";

/**
 * Integrity checks (issue 17): in each organization's job context (row-level security applies), counts what
 * should not exist, walks the audit chain and decrypts a sample of values per data key against their hashes;
 * records each organization's result and raises or clears its `chain_break` and `integrity` alerts. Daily, and
 * when an operator asks.
 */
export async function checkOrganization(
  ctx: Pick<TenantContext, "userId" | "organizationId">,
  database: Database = getDb(),
) {
  return withContext(
    ctx,
    async (tx): Promise<IntegrityReport> => {
      const org = await organizationLabel(tx, ctx.organizationId);
      const counts = await integrityCounts(tx, ctx.organizationId);
      const chain = await verifyChainIn(tx, ctx.organizationId);
      const vault = await orgVault(tx, ctx.organizationId);
      const sample = new Map<string, { keyId: string; checked: number; passed: number }>();
      for (const s of await sampleByKey(tx, ctx.organizationId)) {
        const entry = sample.get(s.keyId) ?? { keyId: s.keyId, checked: 0, passed: 0 };
        entry.checked++;
        const at = {
          organizationId: ctx.organizationId,
          variableId: s.variableId,
          environmentId: s.environmentId,
        };
        if (vault.checkValue({ ciphertext: s.ciphertext, keyId: s.keyId, hash: s.hash }, at)) entry.passed++;
        sample.set(s.keyId, entry);
      }
      return {
        organization: { slug: org?.slug ?? "", name: org?.name ?? ctx.organizationId },
        counts: { ...counts },
        chain: { rows: chain.checked, brokenSeq: chain.brokenSeq, reason: chain.reason },
        sample: [...sample.values()],
      };
    },
    database,
  );
}

/** Checks every organization, records the results and the alerts; what failed is logged (counts only). */
export async function runIntegrityChecks(database: Database = getDb()) {
  const proof = jobRunnerProofNow();
  // The daily job also keeps the audit's monthly partitions three months ahead (0054).
  const auditPartitions = await ensureAuditPartitions(database);
  const findings: ReturnType<typeof integrityFindings> = [];
  let failed = 0;
  const contexts = await jobContexts(database);
  for (const ctx of contexts) {
    const report = await checkOrganization(ctx, database);
    const found = integrityFindings(ctx.organizationId, report);
    findings.push(...found);
    if (found.length > 0) {
      failed++;
      log.warn(
        { event: "ops-integrity", organizationId: ctx.organizationId, problems: found.map((f) => f.rule) },
        "integrity check failed",
      );
    }
    await recordIntegrity(database, proof, ctx.organizationId, found.length === 0, report);
  }
  await recordAlerts(database, proof, [...INTEGRITY_RULES], findings);
  return { organizations: contexts.length, failed, auditPartitions };
}

export async function integrityOverview(ctx: RequestContext) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    await requireOperator(tx);
    return (await integrityResults(tx)).map((r) => {
      const report = r.result as unknown as IntegrityReport;
      return { ...r, report, problems: integrityProblems(report) };
    });
  });
}

/** An operator runs the checks now (they also run daily); logged. */
export async function checkIntegrityNow(ctx: RequestContext) {
  const actor = await withContext({ userId: ctx.userId }, (tx) => operatorName(tx, ctx));
  const outcome = await runIntegrityChecks();
  await withContext({ userId: ctx.userId }, (tx) =>
    insertOpsEvent(tx, { actor, action: "integrity.check", details: outcome }),
  );
  return outcome;
}
