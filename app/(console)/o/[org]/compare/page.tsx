import { PromoteForm } from "@/components/compare/promote-form";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { toAppError } from "@/db/errors";
import { parity } from "@/db/repos/compare";
import { matrixEnvironments } from "@/db/repos/matrix";
import { AppError } from "@/lib/errors";
import { environmentControls } from "@/server/controls";
import { requireMember } from "@/server/session";
import { compareEnvironments } from "@/server/values/compare";

const pick = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export const metadata = { title: "Compare" };

export default async function ComparePage(props: PageProps<"/o/[org]/compare">) {
  const { org } = await props.params;
  const search = await props.searchParams;
  const member = await requireMember(org);
  // The page's reads in one transaction; the comparison (which may refuse) in its own.
  const [all, controls, lines] = await withReads(member, (r) =>
    Promise.all([matrixEnvironments(r), environmentControls(r), parity(r)]),
  );
  const envs = all.filter((e) => e.readable);
  const byName = (name: string | undefined) => envs.find((e) => e.name === name);
  const from = byName(pick(search.from)) ?? envs.at(-2);
  const to = byName(pick(search.to)) ?? envs.at(-1);
  let result: Awaited<ReturnType<typeof compareEnvironments>> | null = null;
  let problem: string | null = null;
  if (from && to && from.id !== to.id) {
    try {
      result = await compareEnvironments(member, from.id, to.id);
    } catch (raw) {
      const error = toAppError(raw);
      if (!(error instanceof AppError)) throw raw;
      problem = error.message;
    }
  } else if (from && to) problem = "Choose two different environments.";
  const control =
    "rounded-md border border-gray-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
  return (
    <div className="space-y-6">
      <PageHeader
        title="Compare and promote"
        description="Differences are found by value hash: nothing is decrypted to compare. Promotion copies the selected values in one transaction, under the same rules as any write."
      />
      <section aria-labelledby="parity-heading" className="space-y-2">
        <h2 id="parity-heading" className="text-base font-semibold">
          Parity
        </h2>
        <ul className="space-y-1 text-sm" aria-label="Parity">
          {lines.map((l) => (
            <li key={l.environmentId} className={l.lacking > 0 ? "text-red-800" : "text-green-800"}>
              {l.summary}
              {l.lacking > 0 ? (
                <>
                  {" "}
                  <a className="text-indigo-700 underline" href={`?from=${l.below}&to=${l.name}`}>
                    compare
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Choose environments">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">From</span>
          <select name="from" defaultValue={from?.name} className={control}>
            {envs.map((e) => (
              <option key={e.id} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">To</span>
          <select name="to" defaultValue={to?.name} className={control}>
            {envs.map((e) => (
              <option key={e.id} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-gray-50"
        >
          Compare
        </button>
      </form>
      {problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      {result ? (
        <PromoteForm
          key={`${result.from.id}-${result.to.id}`}
          org={org}
          from={{ id: result.from.id, name: result.from.name }}
          to={{ id: result.to.id, name: result.to.name }}
          rows={result.rows}
          counts={result.counts}
          control={
            controls.get(result.to.id)?.valueChange ?? {
              state: "hidden",
              reason: `You cannot change values in ${result.to.name}.`,
            }
          }
        />
      ) : null}
    </div>
  );
}
