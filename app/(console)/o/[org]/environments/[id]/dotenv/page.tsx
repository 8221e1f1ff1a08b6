import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ImportForm } from "@/components/dotenv/import-form";
import { ExportButtons } from "@/components/environments/export-buttons";
import { PageHeader } from "@/components/ui/page-header";
import { withReads } from "@/db/context";
import { listEnvironments } from "@/db/repos/variables";
import { atLeast } from "@/lib/policy";
import { environmentControls } from "@/server/controls";
import { memberContext, requireMember } from "@/server/session";
import { valueAccess } from "@/server/values/value-access";

/** Once per request: the title and the page read the same list. */
const environmentsOf = cache(listEnvironments);

export async function generateMetadata(
  props: PageProps<"/o/[org]/environments/[id]/dotenv">,
): Promise<Metadata> {
  const { org, id } = await props.params;
  const member = await memberContext(org);
  const env = member ? (await environmentsOf(member)).find((e) => e.id === id) : undefined;
  return { title: `${env ? `${env.name}: import and export` : "Import and export"} · Environments` };
}

export default async function DotenvPage(props: PageProps<"/o/[org]/environments/[id]/dotenv">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  const [envs, access, controls] = await withReads(member, (r) =>
    Promise.all([environmentsOf(r), valueAccess(r, null), environmentControls(r)]),
  );
  const env = envs.find((e) => e.id === id);
  if (!env) notFound();
  const permission = access[env.id]?.permission ?? "none";
  const control = controls.get(env.id)?.valueChange ?? {
    state: "hidden",
    reason: `You cannot change values in ${env.name}.`,
  };
  return (
    <div className="max-w-4xl space-y-8">
      <PageHeader
        title={`${env.name}: import and export`}
        description="Import a .env file into this environment, with a preview before anything is written; export its values as .env or JSON. An export reveals every value: it is audited as a reveal of each, and asks you to confirm it is you like a reveal does."
      />
      <section aria-labelledby="export-heading" className="space-y-2">
        <h2 id="export-heading" className="text-lg font-semibold">
          Export
        </h2>
        {atLeast(permission, "read") ? (
          <ExportButtons org={org} environment={{ id: env.id, name: env.name }} />
        ) : (
          <p className="text-sm text-gray-600">You cannot read the values of {env.name}.</p>
        )}
      </section>
      <section aria-labelledby="import-heading" className="space-y-2">
        <h2 id="import-heading" className="text-lg font-semibold">
          Import
        </h2>
        {control.state === "enabled" ? (
          <ImportForm org={org} environment={{ id: env.id, name: env.name }} />
        ) : (
          <p className={`text-sm ${control.state === "locked" ? "text-amber-800" : "text-gray-600"}`}>
            {control.reason}
          </p>
        )}
      </section>
    </div>
  );
}
