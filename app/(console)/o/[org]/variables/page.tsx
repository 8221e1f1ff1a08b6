import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { DeletedVariables } from "@/components/variables/deleted-variables";
import { VariableFilters } from "@/components/variables/variable-filters";
import { withReads } from "@/db/context";
import {
  countVariables,
  listDeletedVariables,
  listEnvironments,
  listVariables,
  VARIABLES_PAGE,
} from "@/db/repos/variables";
import { pageWindow } from "@/lib/paging";
import { can } from "@/lib/policy";
import { listFilters, pageNumber } from "@/lib/search-params";
import { requireMember } from "@/server/session";

export const metadata = { title: "Variables" };

export default async function VariablesPage(props: PageProps<"/o/[org]/variables">) {
  const { org } = await props.params;
  const sp = await props.searchParams;
  const member = await requireMember(org);
  const { status: _status, ...filters } = listFilters(sp, 100);
  // One transaction: the count places the page (a page past the end shows the last one), then its rows.
  const [window, variables, envs, deleted] = await withReads(member, async (r) => {
    const [total, envs, deleted] = await Promise.all([
      countVariables(r, filters),
      listEnvironments(r),
      can(member.role, "variable:delete") ? listDeletedVariables(r) : Promise.resolve([]),
    ]);
    const window = pageWindow(pageNumber(sp.page), VARIABLES_PAGE, total);
    return [window, await listVariables(r, filters, window), envs, deleted] as const;
  });
  const pageHref = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    if (page > 1) q.set("page", String(page));
    const query = q.toString();
    return `/o/${org}/variables${query ? `?${query}` : ""}`;
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Variables"
        description="Every key the platform runs on, per environment. Values stay encrypted and masked until revealed."
        actions={
          can(member.role, "variable:create") ? (
            <Link
              href={`/o/${org}/variables/new`}
              className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2"
            >
              New variable
            </Link>
          ) : null
        }
      />
      <VariableFilters {...filters} />
      {variables.length === 0 ? (
        <EmptyState title="No variables match" description="Change the filters, or create a variable." />
      ) : (
        <Pager noun="variables" window={window} href={pageHref} />
      )}
      {variables.length === 0 ? null : (
        <Table aria-label="Variables">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Type</TH>
              <TH>Classification</TH>
              <TH>Tags</TH>
              {envs.map((e) => (
                <TH key={e.id}>{e.name}</TH>
              ))}
            </TR>
          </THead>
          <TBody>
            {variables.map((v) => (
              <TR key={v.id}>
                <TD>
                  <Link
                    href={`/o/${org}/variables/${v.id}`}
                    className="font-mono font-medium text-indigo-700 hover:underline"
                  >
                    {v.name}
                  </Link>
                  {v.isRequired ? <span className="ml-2 text-xs text-gray-500">required</span> : null}
                  {v.isWeddingCritical ? (
                    <span className="ml-2">
                      <Badge tone="amber">wedding-critical</Badge>
                    </span>
                  ) : null}
                </TD>
                <TD>{v.variableType.replace("_", " ")}</TD>
                <TD>
                  <Badge
                    tone={
                      v.securityClassification === "public"
                        ? "neutral"
                        : v.securityClassification === "internal"
                          ? "indigo"
                          : "red"
                    }
                  >
                    {v.securityClassification.replaceAll("_", " ")}
                  </Badge>
                </TD>
                <TD className="text-xs text-gray-600">{v.tags.join(", ")}</TD>
                {envs.map((e) => (
                  <TD key={e.id}>
                    {v.setIn.includes(e.id) ? (
                      <span className="text-green-700">set</span>
                    ) : v.hiddenIn.includes(e.id) ? (
                      <span className="text-gray-500" title="You may not see this environment's values">
                        hidden
                      </span>
                    ) : (
                      <span className={v.isRequired ? "font-medium text-red-700" : "text-quiet"}>
                        missing
                      </span>
                    )}
                  </TD>
                ))}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {deleted.length > 0 ? (
        <DeletedVariables org={org} items={deleted} timeZone={member.org.timeZone} />
      ) : null}
    </div>
  );
}
