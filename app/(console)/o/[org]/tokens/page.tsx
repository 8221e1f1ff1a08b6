import { LifetimeForm } from "@/components/tokens/lifetime-form";
import { PersonalTokens } from "@/components/tokens/personal-tokens";
import { RevokeTokenButton } from "@/components/tokens/revoke-token-button";
import { TokenForm } from "@/components/tokens/token-form";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withReads } from "@/db/context";
import { matrixEnvironments } from "@/db/repos/matrix";
import { listServiceTokens, tokenLifetime } from "@/db/repos/service-tokens";
import { formatStamp } from "@/lib/format";
import { can } from "@/lib/policy";
import { tokenState } from "@/lib/service-tokens";
import { publicOrigin } from "@/server/access/invitation-requests";
import { requireMember } from "@/server/session";

export const metadata = { title: "Tokens" };

const STATE_TONE = { live: "green", expired: "neutral", revoked: "red" } as const;

export default async function TokensPage(props: PageProps<"/o/[org]/tokens">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const manage = can(member.role, "tokens:manage");
  const [tokens, personal, envs, maxDays] = await withReads(member, (r) =>
    Promise.all([
      manage ? listServiceTokens(r) : Promise.resolve([]),
      listServiceTokens(r, { personalOf: member.userId }),
      matrixEnvironments(r),
      tokenLifetime(r),
    ]),
  );
  const tz = member.org.timeZone;
  const now = new Date();
  return (
    <div className="space-y-8">
      <PageHeader
        title="Tokens"
        description={`Service tokens let deploy pipelines and apps read (or write) an environment's values through the API and the CLI. Each acts as the person who created it, never beyond them, and only in its environments. Times in ${tz}.`}
      />
      <PersonalTokens
        org={org}
        timeZone={tz}
        tokens={personal.filter((t) => tokenState(t, now) === "live")}
      />
      {!manage ? (
        <p className="text-sm text-gray-600">
          Only owners and admins see and manage service tokens. Ask one of them for a token.
        </p>
      ) : (
        <>
          <section aria-labelledby="new-token-heading" className="space-y-3">
            <h2 id="new-token-heading" className="text-lg font-semibold">
              New token
            </h2>
            <TokenForm
              org={org}
              environments={envs.map((e) => e.name)}
              maxDays={maxDays}
              origin={await publicOrigin()}
              timeZone={tz}
            />
          </section>
          {can(member.role, "settings:manage") ? (
            <section aria-labelledby="lifetime-heading" className="space-y-3">
              <h2 id="lifetime-heading" className="text-lg font-semibold">
                Lifetime
              </h2>
              <LifetimeForm org={org} maxTokenDays={maxDays} />
            </section>
          ) : null}
          <section aria-labelledby="tokens-heading" className="space-y-3">
            <h2 id="tokens-heading" className="text-lg font-semibold">
              Service tokens ({tokens.length})
            </h2>
            {tokens.length === 0 ? (
              <p className="text-sm text-gray-600">None yet.</p>
            ) : (
              <Table aria-label="Service tokens">
                <THead>
                  <TR>
                    <TH>Name</TH>
                    <TH>Scope</TH>
                    <TH>State</TH>
                    <TH>Last used</TH>
                    <TH>Created</TH>
                    <TH>
                      <span className="sr-only">Revoke</span>
                    </TH>
                  </TR>
                </THead>
                <TBody>
                  {tokens.map((t) => {
                    const state = tokenState(t, now);
                    return (
                      <TR key={t.id}>
                        <TD>
                          {t.name}
                          <div className="font-mono text-xs text-gray-500">{t.hint}</div>
                        </TD>
                        <TD className="text-xs">
                          <span className="font-mono">{t.environments.join(", ")}</span> · {t.access}
                          {t.namePrefix ? ` · names ${t.namePrefix}…` : ""}
                          {t.tag ? ` · #${t.tag}` : ""}
                          {t.allowedCidrs.length > 0 ? ` · from ${t.allowedCidrs.join(", ")}` : ""}
                        </TD>
                        <TD>
                          <Badge tone={STATE_TONE[state]}>{state}</Badge>
                          <div className="text-xs text-gray-600">
                            {state === "revoked" && t.revokedAt
                              ? `${formatStamp(t.revokedAt, tz)} by ${t.revokedBy ?? "?"}`
                              : `${state === "live" ? "until" : "since"} ${formatStamp(t.expiresAt, tz)}`}
                          </div>
                        </TD>
                        <TD className="text-xs text-gray-600">
                          {t.lastUsedAt
                            ? `${formatStamp(t.lastUsedAt, tz)}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ""} · ${t.useCount} use${t.useCount === 1 ? "" : "s"}`
                            : "never"}
                        </TD>
                        <TD className="text-xs text-gray-600">
                          {t.createdBy} · {formatStamp(t.createdAt, tz)}
                        </TD>
                        <TD>
                          {state === "live" ? <RevokeTokenButton org={org} id={t.id} name={t.name} /> : null}
                        </TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
