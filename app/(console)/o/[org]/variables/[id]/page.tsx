import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { DeleteVariableButton } from "@/components/variables/delete-variable-button";
import { ValueHistory } from "@/components/variables/value-history";
import { ValueRow } from "@/components/variables/value-row";
import { VariableForm } from "@/components/variables/variable-form";
import { withReads } from "@/db/context";
import { pendingForVariable } from "@/db/repos/change-requests";
import { listEnvironments, valueHeads, variableDetail } from "@/db/repos/variables";
import { valueChangeMode } from "@/lib/approvals";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { type Classification, needsApproval, riskOf } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import {
  checkConnectivityAction,
  deleteValueAction,
  revealValueAction,
  setValueAction,
} from "@/server/actions/variables";
import { memberContext, requireMember } from "@/server/session";
import { valueAccess } from "@/server/values/value-access";

const UUID = /^[0-9a-f-]{36}$/i;
/** What each value row calls (components/values/value-actions.ts). */
const VALUE_ACTIONS = {
  setValue: setValueAction,
  deleteValue: deleteValueAction,
  revealValue: revealValueAction,
  checkConnectivity: checkConnectivityAction,
};
/** The title's read (the page reads the variable again, in its own transaction with the rest). */
const detailOf = cache(variableDetail);

export async function generateMetadata(props: PageProps<"/o/[org]/variables/[id]">): Promise<Metadata> {
  const { org, id } = await props.params;
  const member = await memberContext(org);
  const detail = member && UUID.test(id) ? await detailOf(member, id) : null;
  return { title: `${detail?.variable.name ?? "Variable"} · Variables` };
}

export default async function VariablePage(props: PageProps<"/o/[org]/variables/[id]">) {
  const { org, id } = await props.params;
  const member = await requireMember(org);
  if (!UUID.test(id)) notFound();
  // One transaction for the page's reads. Nothing in it waits for another transaction: with every pool
  // connection held by a page waiting for a second one, pages would wait on each other.
  const [detail, envs, access, waiting, heads] = await withReads(member, async (r) => {
    const [detail, envs, access, waiting] = await Promise.all([
      variableDetail(r, id),
      listEnvironments(r),
      valueAccess(r, id),
      pendingForVariable(r, id),
    ]);
    // Where the caller cannot read a value, its head (version, no hash) still shows that it is set.
    const unread = envs.filter((e) => !detail?.values.some((v) => v.environmentId === e.id));
    const heads = detail
      ? await valueHeads(
          r,
          id,
          unread.map((e) => e.id),
        )
      : {};
    return [detail, envs, access, waiting, heads] as const;
  });
  if (!detail) notFound();
  const { variable, values, history, checks } = detail;
  const tz = member.org.timeZone;
  const canEdit = can(member.role, "variable:update");
  const changeMode = (env: (typeof envs)[number], action: "value:set" | "value:delete") =>
    valueChangeMode({
      role: member.role,
      permission: access[env.id]?.permission ?? "none",
      action,
      classification: variable.securityClassification as Classification,
      weddingCritical: variable.isWeddingCritical,
      environmentType: env.environmentType as EnvironmentType,
      emergency: env.emergency,
    });
  return (
    <div className="space-y-8">
      <PageHeader
        title={variable.name}
        description={variable.description ?? undefined}
        actions={
          can(member.role, "variable:delete") ? (
            <DeleteVariableButton
              org={org}
              id={variable.id}
              version={variable.version}
              name={variable.name}
              approval={needsApproval(
                riskOf({
                  action: "variable:delete",
                  classification: variable.securityClassification as Classification,
                  weddingCritical: variable.isWeddingCritical,
                }).level,
              )}
            />
          ) : null
        }
      />
      <div className="flex flex-wrap gap-2 text-sm">
        <Badge tone="indigo">{variable.variableType.replace("_", " ")}</Badge>
        <Badge tone={variable.securityClassification === "public" ? "neutral" : "red"}>
          {variable.securityClassification.replaceAll("_", " ")}
        </Badge>
        {variable.isRequired ? <Badge tone="neutral">required</Badge> : null}
        {variable.isWeddingCritical ? <Badge tone="amber">wedding-critical</Badge> : null}
        {variable.tags.map((t) => (
          <Badge key={t} tone="neutral">
            #{t}
          </Badge>
        ))}
      </div>

      <section aria-labelledby="values-heading" className="space-y-3">
        <h2 id="values-heading" className="text-lg font-semibold">
          Values
        </h2>
        <Card>
          <ul className="divide-y divide-gray-200">
            {envs.map((env) => {
              const value = values.find((v) => v.environmentId === env.id);
              const head = heads[env.id];
              const permission = access[env.id]?.permission ?? "none";
              const set = changeMode(env, "value:set");
              return (
                <ValueRow
                  key={env.id}
                  org={org}
                  actions={VALUE_ACTIONS}
                  variableId={variable.id}
                  environment={{
                    id: env.id,
                    name: env.name,
                    locked: env.locked && !env.emergency,
                    isActive: env.isActive,
                  }}
                  value={
                    value
                      ? {
                          version: value.version,
                          hash: value.valueHash.slice(0, 8),
                          updated: `${formatStamp(value.updatedAt, tz)}${value.updatedBy ? ` by ${value.updatedBy}` : ""}`,
                        }
                      : head
                        ? {
                            version: head.version,
                            hash: "hidden",
                            updated: formatStamp(head.updatedAt, tz),
                          }
                        : null
                  }
                  canRead={permission !== "none"}
                  setMode={set.mode}
                  deleteMode={changeMode(env, "value:delete").mode}
                  setRisk={set.risk.level}
                  pending={waiting
                    .filter((w) => w.environmentId === env.id)
                    .map((w) => ({ ...w, requester: w.requester, riskLevel: w.riskLevel }))}
                  multiline={variable.variableType === "configuration"}
                  connectivity={variable.variableType === "database_url"}
                  checks={checks.filter((c) => c.environmentId === env.id)}
                />
              );
            })}
          </ul>
        </Card>
      </section>

      <ValueHistory
        restore={{
          org,
          variableId: variable.id,
          current: Object.fromEntries(
            envs.map((env) => {
              const { mode } = changeMode(env, "value:set");
              return [
                env.id,
                {
                  version:
                    values.find((v) => v.environmentId === env.id)?.version ?? heads[env.id]?.version ?? 0,
                  writable: mode !== "forbidden" && (!env.locked || env.emergency) && env.isActive,
                  approval: mode === "request",
                },
              ];
            }),
          ),
        }}
        items={history.map((h) => ({
          ...h,
          environment: envs.find((e) => e.id === h.environmentId)?.name ?? "?",
          at: formatStamp(h.createdAt, tz),
          hash: h.valueHash ? h.valueHash.slice(0, 8) : null,
        }))}
      />

      {canEdit ? (
        <section aria-labelledby="details-heading" className="max-w-2xl space-y-3">
          <h2 id="details-heading" className="text-lg font-semibold">
            Details
          </h2>
          <VariableForm org={org} variable={variable} />
        </section>
      ) : null}
    </div>
  );
}
