/** Search and filters as a plain GET form: the URL holds the state, so a filtered list can be shared. */
export function VariableFilters(props: {
  q?: string;
  type?: string;
  classification?: string;
  tag?: string;
  status?: string;
  /** Matrix only: status filters such as "missing in production" ([value, label]). */
  statusOptions?: [string, string][];
}) {
  const control =
    "rounded-md border border-gray-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
  return (
    <search>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Search</span>
          <input
            type="search"
            name="q"
            defaultValue={props.q}
            placeholder="Name contains…"
            className={control}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Type</span>
          <select name="type" defaultValue={props.type ?? ""} className={control}>
            <option value="">Any</option>
            <option value="api_key">API key</option>
            <option value="secret">Secret</option>
            <option value="database_url">Database URL</option>
            <option value="feature_flag">Feature flag</option>
            <option value="configuration">Configuration</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Classification</span>
          <select name="classification" defaultValue={props.classification ?? ""} className={control}>
            <option value="">Any</option>
            <option value="public">Public</option>
            <option value="internal">Internal</option>
            <option value="confidential">Confidential</option>
            <option value="wedding_day_critical">Wedding-day critical</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Tag</span>
          <input name="tag" defaultValue={props.tag} className={control} />
        </label>
        {props.statusOptions ? (
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Status</span>
            <select name="status" defaultValue={props.status ?? ""} className={control}>
              <option value="">Any</option>
              {props.statusOptions.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
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
