import { AUDIT_ACTIONS, AUDIT_RESOURCES } from "@/lib/audit-vocabulary";
import type { AuditFilters } from "@/lib/validation/audit";

// The vocabulary the database CHECKs use: every action and resource the trail can hold can be filtered on.
const ACTIONS = AUDIT_ACTIONS;
const RESOURCES = AUDIT_RESOURCES;

/** The explorer's filters as a GET form: the URL holds them, so a filtered view can be shared. */
export function AuditFilterForm({
  f,
  errors,
}: {
  f: Partial<AuditFilters>;
  errors: Record<string, string[]>;
}) {
  const control =
    "rounded-md border border-gray-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
  const field = (name: string, label: string, input: React.ReactNode) => (
    <label className="flex flex-col gap-1 text-sm" htmlFor={`audit-${name}`}>
      <span className="font-medium">{label}</span>
      {input}
      {errors[name] ? <span className="text-xs text-red-700">{errors[name].join(" ")}</span> : null}
    </label>
  );
  return (
    <search>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Audit filters">
        {field(
          "user",
          "User (email)",
          <input id="audit-user" name="user" type="email" defaultValue={f.user} className={control} />,
        )}
        {field(
          "action",
          "Action",
          <select id="audit-action" name="action" defaultValue={f.action ?? ""} className={control}>
            <option value="">Any</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a === "decrypt" ? "reveal" : a}
              </option>
            ))}
          </select>,
        )}
        {field(
          "resource",
          "Resource",
          <select id="audit-resource" name="resource" defaultValue={f.resource ?? ""} className={control}>
            <option value="">Any</option>
            {RESOURCES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>,
        )}
        {field(
          "variable",
          "Variable",
          <input id="audit-variable" name="variable" defaultValue={f.variable} className={control} />,
        )}
        {field(
          "environment",
          "Environment",
          <input
            id="audit-environment"
            name="environment"
            defaultValue={f.environment}
            className={control}
          />,
        )}
        {field(
          "risk",
          "Risk",
          <select id="audit-risk" name="risk" defaultValue={f.risk ?? ""} className={control}>
            <option value="">Any</option>
            {["LOW", "MEDIUM", "HIGH", "CRITICAL"].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>,
        )}
        {field(
          "from",
          "From",
          <input id="audit-from" name="from" type="date" defaultValue={f.from} className={control} />,
        )}
        {field(
          "to",
          "To",
          <input id="audit-to" name="to" type="date" defaultValue={f.to} className={control} />,
        )}
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="emergency" value="true" defaultChecked={f.emergency} />
          Emergency only
        </label>
        <button
          type="submit"
          className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-gray-50"
        >
          Apply
        </button>
      </form>
    </search>
  );
}
