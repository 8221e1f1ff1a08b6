import Link from "next/link";
import { CliLoginForm } from "@/components/tokens/cli-login-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { withContext } from "@/db/context";
import { organizationsFor } from "@/db/repos/memberships";
import { PERSONAL_TOKEN_HOURS } from "@/lib/cli-login";
import { formatInZone } from "@/lib/format";
import { requireMember } from "@/server/session";
import { loginToDecide } from "@/server/tokens/cli-login";

export const metadata = { title: "CLI login" };

/**
 * Approving `ringbearer login`: the code the CLI shows (from its link, or typed), where the request came from, and
 * what the personal token may do. Approved for this organization; another one is a link away.
 */
export default async function CliLoginPage(props: PageProps<"/o/[org]/cli-login">) {
  const { org } = await props.params;
  const raw = (await props.searchParams).code;
  const code = typeof raw === "string" ? raw.slice(0, 20) : "";
  const member = await requireMember(org);
  const { user, org: current, emergency: _e, ...ctx } = member;
  const [toDecide, orgs] = await Promise.all([
    code ? withContext(ctx, (tx) => loginToDecide(tx, ctx, code)) : Promise.resolve(null),
    organizationsFor(user.id),
  ]);
  const others = orgs.filter((o) => o.slug !== org);
  return (
    <div className="space-y-6">
      <PageHeader
        title="CLI login"
        description={`Approve a ringbearer login to give that CLI a personal token for ${current.name}: it acts as you, never beyond your access, for ${PERSONAL_TOKEN_HOURS} hours.`}
      />
      {!code || !toDecide ? (
        <section className="max-w-xl space-y-3">
          {code ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              No login waits for the code {code}: it may have ended (logins last 10 minutes) or been used. Run
              ringbearer login again.
            </p>
          ) : null}
          <form method="get" aria-label="Enter the CLI's code" className="flex items-end gap-3">
            <Field label="Code the CLI shows" htmlFor="cli-code" hint="8 letters, such as WDJB-MJHT">
              <Input
                id="cli-code"
                name="code"
                autoComplete="off"
                required
                maxLength={20}
                defaultValue={code}
              />
            </Field>
            <Button type="submit">Continue</Button>
          </form>
        </section>
      ) : (
        <section aria-labelledby="cli-request-heading" className="space-y-4">
          <h2 id="cli-request-heading" className="text-lg font-semibold">
            Code {code.toUpperCase()}
          </h2>
          <dl className="grid max-w-xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-gray-600">Machine</dt>
            <dd>{toDecide.login.client}</dd>
            <dt className="text-gray-600">From</dt>
            <dd>{toDecide.login.requestedFrom ?? "unknown address"}</dd>
            <dt className="text-gray-600">Program</dt>
            <dd className="break-all">{toDecide.login.userAgent ?? "unknown"}</dd>
            <dt className="text-gray-600">Asked at</dt>
            <dd>{formatInZone(toDecide.login.createdAt, current.timeZone)}</dd>
          </dl>
          <p className="max-w-xl rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Approve only a login you started yourself, just now, on that machine. Someone who sent you this
            code would get your access.
          </p>
          <CliLoginForm org={org} code={code} environments={toDecide.environments} />
        </section>
      )}
      {others.length > 0 ? (
        <p className="text-sm text-gray-600">
          For another organization:{" "}
          {others.map((o, i) => (
            <span key={o.slug}>
              {i > 0 ? ", " : ""}
              <Link
                className="text-indigo-700 underline"
                href={`/o/${o.slug}/cli-login${code ? `?code=${encodeURIComponent(code)}` : ""}`}
              >
                {o.name}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
