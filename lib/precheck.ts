/**
 * The Saturday pre-check (issue 17): what a run found (migration 0049, `wedding_precheck_report`) turned into the
 * checklist on-call staff read on Friday afternoon. Pure: the database counts, the pages show.
 */

/** A scheduled run happens once per window, this long before it opens (on a Friday for Saturday's weddings). */
export const PRECHECK_LEAD_HOURS = 24;
/** The dashboard shows the checklist from this long before a window opens until it ends. */
export const PRECHECK_SHOW_HOURS = 48;
/** How far ahead an on-demand or operator run looks for the next window (the database accepts up to 8 days). */
export const PRECHECK_LOOKAHEAD_HOURS = 7 * 24;

export const PRECHECK_TRIGGERS = ["scheduled", "on_demand", "operator"] as const;
export type PrecheckTrigger = (typeof PRECHECK_TRIGGERS)[number];

/** One protected environment's counts; the same for every member (names are on the dashboard's own panels). */
export type PrecheckEnvironment = {
  id: string;
  name: string;
  drift: number;
  critical_drift: number;
  failed_syncs: number;
  missing_required: number;
  credentials_due: number;
  integrations: number;
  change_requests: number;
};

export type PrecheckReport = {
  organization: { slug: string; name: string } | null;
  environments: PrecheckEnvironment[];
  change_requests: number;
  data_key_due_at: string | null;
  data_key_due: boolean;
  last_verified_backup_at: string | null;
  backup_verified: boolean;
};

export type ChecklistKey =
  | "drift"
  | "syncs"
  | "missing"
  | "credentials"
  | "data_key"
  | "integrations"
  | "change_requests"
  | "backup";

export type ChecklistItem = {
  key: ChecklistKey;
  label: string;
  ok: boolean;
  /** Per environment ("production: 2 (1 critical)"), or one line for the organization or installation. */
  details: string[];
  /** A date the line is about (the data key's due date, the verified backup's time), shown in the reader's zone. */
  at: string | null;
};

type Counted = Exclude<keyof PrecheckEnvironment, "id" | "name" | "critical_drift">;

function perEnvironment(report: PrecheckReport, field: Counted, unit: (n: number) => string) {
  return report.environments.filter((e) => e[field] > 0).map((e) => `${e.name}: ${unit(e[field])}`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The checklist, in the order on-call staff work through it; `ok` means nothing to do before the window. */
export function checklist(report: PrecheckReport): ChecklistItem[] {
  const env = (
    key: ChecklistKey,
    label: string,
    field: Counted,
    unit: (n: number) => string,
  ): ChecklistItem => {
    const details = perEnvironment(report, field, unit);
    return { key, label, ok: details.length === 0, details, at: null };
  };
  const drift: ChecklistItem = {
    key: "drift",
    label: "Unresolved drift",
    ok: report.environments.every((e) => e.drift === 0),
    details: report.environments
      .filter((e) => e.drift > 0)
      .map(
        (e) =>
          `${e.name}: ${plural(e.drift, "finding")}${e.critical_drift > 0 ? ` (${e.critical_drift} critical)` : ""}`,
      ),
    at: null,
  };
  return [
    drift,
    env("syncs", "Failed syncs", "failed_syncs", (n) => `${plural(n, "target")} whose last sync failed`),
    env("missing", "Missing required variables", "missing_required", (n) => plural(n, "variable")),
    env("credentials", "Credentials due before wedding hours end", "credentials_due", (n) =>
      plural(n, "credential"),
    ),
    {
      key: "data_key",
      label: "Data key due for rotation",
      ok: !report.data_key_due,
      details: report.data_key_due ? ["the organization's data key falls due before the window ends"] : [],
      at: report.data_key_due ? report.data_key_due_at : null,
    },
    env("integrations", "Unhealthy integrations", "integrations", (n) => plural(n, "integration")),
    env("change_requests", "Pending change requests", "change_requests", (n) => plural(n, "request")),
    {
      key: "backup",
      label: "Verified backup",
      ok: report.backup_verified,
      details: report.backup_verified
        ? []
        : [
            report.last_verified_backup_at
              ? "the newest verified backup is more than 7 days older than the window"
              : "no restore drill has verified a backup (npm run restore -- --verify)",
          ],
      at: report.last_verified_backup_at,
    },
  ];
}

/** How many lines of the checklist need someone before the window opens (the database records the same). */
export const attentionCount = (report: PrecheckReport) => checklist(report).filter((i) => !i.ok).length;
