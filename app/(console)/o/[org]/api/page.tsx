import { type Operation, OperationView } from "@/components/api/operation";
import { PageHeader } from "@/components/ui/page-header";
import { openApiDocument } from "@/lib/openapi";
import { PROBLEM_CODES } from "@/lib/problems";
import { requireMember } from "@/server/session";

export const metadata = { title: "API" };

/** The machine API's reference, read from the OpenAPI document the server serves. */
export default async function ApiPage(props: PageProps<"/o/[org]/api">) {
  const { org } = await props.params;
  await requireMember(org);
  const doc = openApiDocument();
  const schemas = doc.components.schemas as unknown as Parameters<typeof OperationView>[0]["schemas"];
  return (
    <div className="space-y-6">
      <PageHeader
        title="API"
        description="Deploy pipelines and apps read and write configuration with a service token (Tokens page). Errors are problem details with a stable code; every read and write is audited."
      />
      <p className="text-sm">
        The OpenAPI 3.1 document:{" "}
        <a className="font-mono text-indigo-700 underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
        . Problem codes: <span className="font-mono text-xs">{PROBLEM_CODES.join(", ")}</span>.
      </p>
      <div className="space-y-4">
        {Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => (
            <OperationView
              key={`${method} ${path}`}
              method={method}
              path={path}
              op={op as unknown as Operation}
              schemas={schemas}
            />
          )),
        )}
      </div>
    </div>
  );
}
