import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

type Schema = {
  type?: string | string[];
  enum?: readonly unknown[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  pattern?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
};
export type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
};
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  security?: readonly Record<string, readonly string[]>[];
  parameters?: readonly Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string }>;
};

/** A schema in a few words: "string, 1–100 characters", "one of read, read-write", "integer 1–365, default 30". */
/** How each security scheme of the document reads on the page. */
const SCHEMES: Record<string, string> = {
  serviceToken: "Authorization: Bearer rb_st_…",
  session: "a person's console session",
};

export function describeSchema(s: Schema | undefined): string {
  if (!s) return "";
  if (s.$ref) return s.$ref.split("/").at(-1) ?? "";
  if (s.enum) return `one of ${s.enum.join(", ")}`;
  const type = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  const range = (min?: number, max?: number, unit = "") =>
    min !== undefined && max !== undefined
      ? ` ${min}–${max}${unit}`
      : max !== undefined
        ? ` up to ${max}${unit}`
        : min !== undefined
          ? ` at least ${min}${unit}`
          : "";
  const parts = [
    type === "array" ? `list of ${describeSchema(s.items)}` : type,
    type === "string" ? range(s.minLength, s.maxLength, " characters") : "",
    type === "integer" || type === "number" ? range(s.minimum, s.maximum) : "",
    type === "array" ? range(s.minItems, s.maxItems, " items") : "",
    s.format ? ` (${s.format})` : "",
    s.default !== undefined ? `, default ${JSON.stringify(s.default)}` : "",
  ];
  return parts.join("").trim();
}

/** One operation of the machine API: what it does, how it authenticates, what it takes and answers. */
export function OperationView({
  method,
  path,
  op,
  schemas,
}: {
  method: string;
  path: string;
  op: Operation;
  schemas: Record<string, Schema>;
}) {
  const auth = (op.security ?? []).flatMap((requirement) => Object.keys(requirement));
  const bodyRef = op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined;
  const body = bodyRef?.$ref ? schemas[bodyRef.$ref.split("/").at(-1) ?? ""] : bodyRef;
  return (
    <section
      aria-labelledby={`op-${op.operationId}`}
      className="space-y-3 rounded-md border border-gray-200 p-4"
    >
      <h3 id={`op-${op.operationId}`} className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <Badge tone="indigo">{method.toUpperCase()}</Badge>
        <span className="break-all">{path}</span>
      </h3>
      <p className="text-sm font-medium">{op.summary}</p>
      {op.description ? <p className="text-sm text-gray-700">{op.description}</p> : null}
      <p className="text-xs text-gray-600">
        Authentication:{" "}
        {auth.length === 0 ? "none" : auth.map((scheme) => SCHEMES[scheme] ?? scheme).join(", or ")}
      </p>
      {op.parameters?.length ? (
        <Table aria-label={`Parameters of ${method.toUpperCase()} ${path}`}>
          <THead>
            <TR>
              <TH>Parameter</TH>
              <TH>In</TH>
              <TH>Takes</TH>
            </TR>
          </THead>
          <TBody>
            {op.parameters.map((p) => (
              <TR key={`${p.in}-${p.name}`}>
                <TD className="font-mono text-xs">
                  {p.name}
                  {p.required ? " *" : ""}
                </TD>
                <TD className="text-xs">{p.in}</TD>
                <TD className="text-xs text-gray-700">
                  {[describeSchema(p.schema), p.description].filter(Boolean).join(". ")}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      {body?.properties ? (
        <Table aria-label={`Body of ${method.toUpperCase()} ${path}`}>
          <THead>
            <TR>
              <TH>Field</TH>
              <TH>Takes</TH>
            </TR>
          </THead>
          <TBody>
            {Object.entries(body.properties).map(([name, s]) => (
              <TR key={name}>
                <TD className="font-mono text-xs">
                  {name}
                  {body.required?.includes(name) ? " *" : ""}
                </TD>
                <TD className="text-xs text-gray-700">{describeSchema(s)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <ul className="space-y-1 text-xs" aria-label={`Answers of ${method.toUpperCase()} ${path}`}>
        {Object.entries(op.responses).map(([status, r]) => (
          <li key={status}>
            <span className="font-mono font-semibold">{status}</span> {r.description}
          </li>
        ))}
      </ul>
    </section>
  );
}
