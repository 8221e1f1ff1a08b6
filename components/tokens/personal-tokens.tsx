import { RevokeTokenButton } from "@/components/tokens/revoke-token-button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatStamp } from "@/lib/format";

type PersonalToken = {
  id: string;
  name: string;
  hint: string;
  environments: string[];
  access: string;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedFrom: string | null;
};

/** The caller's own live personal tokens (from `ringbearer login`), each revocable by them at once. */
export function PersonalTokens({
  org,
  tokens,
  timeZone,
}: {
  org: string;
  tokens: PersonalToken[];
  timeZone: string;
}) {
  return (
    <section aria-labelledby="personal-heading" className="space-y-3">
      <h2 id="personal-heading" className="text-lg font-semibold">
        Your CLI logins ({tokens.length})
      </h2>
      <p className="text-sm text-gray-600">
        Run <code className="font-mono">ringbearer login</code> and approve its code to give the CLI a
        personal token that acts as you for 12 hours.
      </p>
      {tokens.length === 0 ? null : (
        <Table aria-label="Your CLI logins">
          <THead>
            <TR>
              <TH>Machine</TH>
              <TH>Scope</TH>
              <TH>Until</TH>
              <TH>Last used</TH>
              <TH>
                <span className="sr-only">Revoke</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {tokens.map((t) => (
              <TR key={t.id}>
                <TD>
                  {t.name}
                  <div className="font-mono text-xs text-gray-500">{t.hint}</div>
                </TD>
                <TD className="text-xs">
                  <span className="font-mono">{t.environments.join(", ")}</span> · {t.access}
                </TD>
                <TD className="text-xs text-gray-600">{formatStamp(t.expiresAt, timeZone)}</TD>
                <TD className="text-xs text-gray-600">
                  {t.lastUsedAt
                    ? `${formatStamp(t.lastUsedAt, timeZone)}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ""}`
                    : "never"}
                </TD>
                <TD>
                  <RevokeTokenButton org={org} id={t.id} name={t.name} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
