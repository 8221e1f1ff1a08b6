import Link from "next/link";
import { MatrixGrid } from "@/components/matrix/matrix-grid";
import { PageHeader } from "@/components/ui/page-header";
import { VariableFilters } from "@/components/variables/variable-filters";
import { withReads } from "@/db/context";
import { matrixEnvironments } from "@/db/repos/matrix";
import { listEnvironments } from "@/db/repos/variables";
import { listFilters } from "@/lib/search-params";
import { revealValueAction, setValueAction } from "@/server/actions/variables";
import { environmentControls } from "@/server/controls";
import { requireMember } from "@/server/session";
import { valueAccess } from "@/server/values/value-access";

export const metadata = { title: "Matrix" };

export default async function MatrixPage(props: PageProps<"/o/[org]/matrix">) {
  const { org } = await props.params;
  const sp = await props.searchParams;
  const member = await requireMember(org);
  const filters = listFilters(sp, 250);
  const [envs, controls, access, live] = await withReads(member, (r) =>
    Promise.all([matrixEnvironments(r), environmentControls(r), valueAccess(r, null), listEnvironments(r)]),
  );
  const readable = envs.filter((e) => e.readable);
  const statusOptions: [string, string][] = [
    ["required_missing", "Required and missing somewhere"],
    ...readable.map((e): [string, string] => [`missing:${e.name}`, `Missing in ${e.name}`]),
    ...readable
      .slice(1)
      .map((e, i): [string, string] => [
        `differs:${readable[i].name}:${e.name}`,
        `Differs: ${readable[i].name} vs ${e.name}`,
      ]),
    ["invalid", "Failed validation"],
  ];
  return (
    <div className="space-y-4">
      <PageHeader
        title="Matrix"
        description="Every variable × every environment, from hashes and metadata (nothing is decrypted). Arrow keys move between cells; Enter opens the value."
        actions={
          <Link
            href={`/o/${org}/compare`}
            className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-medium"
          >
            Compare and promote
          </Link>
        }
      />
      <VariableFilters {...filters} statusOptions={statusOptions} />
      <MatrixGrid
        org={org}
        filters={filters}
        environments={envs}
        controls={Object.fromEntries([...controls].map(([id, c]) => [id, c.valueChange]))}
        role={member.role}
        access={Object.fromEntries(
          live.map((e) => [e.id, { permission: access[e.id]?.permission ?? "none", emergency: e.emergency }]),
        )}
        actions={{ setValue: setValueAction, revealValue: revealValueAction }}
      />
    </div>
  );
}
