import { RequestCard } from "@/components/approvals/request-card";
import { AcknowledgeForm } from "@/components/emergency/acknowledge-form";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { withReads } from "@/db/context";
import { type ChangeRequestRow, changeRequestList, pendingRequestCount } from "@/db/repos/change-requests";
import { canApprove } from "@/lib/approvals";
import { formatStamp } from "@/lib/format";
import { openEmergencyReviews } from "@/server/emergency/emergency-reads";
import { requireMember } from "@/server/session";

export const metadata = { title: "Approvals" };

/** The queue shows the oldest waiting requests first, this many at a time; the lists of past ones, the latest. */
const QUEUE = 50;
const RECENT = 20;

export default async function ApprovalsPage(props: PageProps<"/o/[org]/approvals">) {
  const { org } = await props.params;
  const member = await requireMember(org);
  const reviewer = canApprove(member.role);
  const [reviews, waiting, waitingTotal, mine, decided] = await withReads(member, (r) =>
    Promise.all([
      openEmergencyReviews(r),
      reviewer ? changeRequestList(r, "pending", QUEUE) : [],
      reviewer ? pendingRequestCount(r) : 0,
      changeRequestList(r, "mine", RECENT),
      reviewer ? changeRequestList(r, "decided", RECENT) : [],
    ]),
  );
  const now = new Date();
  const viewer = { userId: member.userId, canApprove: reviewer };
  const cards = (rows: ChangeRequestRow[]) =>
    rows.map((r) => (
      <RequestCard
        key={r.id}
        org={org}
        request={r}
        timeZone={member.org.timeZone}
        now={now}
        viewer={viewer}
      />
    ));
  return (
    <div className="space-y-8">
      <PageHeader
        title="Approvals"
        description="HIGH and CRITICAL changes, and changes proposed where their author cannot write, wait here for a reviewer who is not their author. Emergency changes made with break-glass wait for acknowledgement."
      />
      {reviewer ? (
        <section aria-labelledby="waiting-requests" className="space-y-3">
          <h2 id="waiting-requests" className="text-lg font-semibold">
            Change requests waiting ({waitingTotal})
          </h2>
          {waitingTotal > waiting.length ? (
            <p className="text-sm text-gray-700">
              Showing the {waiting.length} oldest of {waitingTotal}: the next appear as these are decided.
            </p>
          ) : null}
          {waiting.length === 0 ? (
            <p className="text-sm text-gray-600">Nothing waits for approval.</p>
          ) : (
            cards(waiting)
          )}
        </section>
      ) : null}
      <section aria-labelledby="my-requests" className="space-y-3">
        <h2 id="my-requests" className="text-lg font-semibold">
          Your requests
        </h2>
        {mine.length === 0 ? (
          <p className="text-sm text-gray-600">
            You have not asked for any change. A change that needs approval is sent from the value editor, a
            promotion or an import.
          </p>
        ) : (
          <>
            {mine.length === RECENT ? (
              <p className="text-sm text-gray-700">Your {RECENT} most recent requests.</p>
            ) : null}
            {cards(mine)}
          </>
        )}
      </section>
      <section aria-labelledby="emergency-reviews" className="space-y-3">
        <h2 id="emergency-reviews" className="text-lg font-semibold">
          Emergency changes to review ({reviews.length})
        </h2>
        {!reviewer ? (
          <p className="text-sm text-gray-600">
            Security reviewers, admins and owners acknowledge emergency changes.
          </p>
        ) : null}
        {reviews.length === 0 ? (
          <p className="text-sm text-gray-600">Nothing to review.</p>
        ) : (
          <Table aria-label="Emergency changes">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Who</TH>
                <TH>Change</TH>
                <TH>Hash before → after</TH>
                <TH>Reason given</TH>
                <TH>
                  <span className="sr-only">Acknowledge</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {reviews.map((r) => (
                <TR key={r.id}>
                  <TD className="whitespace-nowrap">{formatStamp(r.createdAt, member.org.timeZone)}</TD>
                  <TD>{r.actor ?? "direct SQL"}</TD>
                  <TD>
                    {r.summary ?? (
                      <>
                        {r.action} {r.resourceType}{" "}
                        <span className="font-mono text-xs">{r.variable ?? ""}</span>
                        {r.environment ? ` in ${r.environment}` : ""}
                      </>
                    )}
                  </TD>
                  <TD className="font-mono text-xs">
                    {r.previousValueHash || r.newValueHash
                      ? `${r.previousValueHash?.slice(0, 8) ?? "—"} → ${r.newValueHash?.slice(0, 8) ?? "—"}`
                      : "no value changed"}
                  </TD>
                  <TD className="max-w-xs text-gray-700">{r.reason ?? ""}</TD>
                  <TD>
                    {!reviewer ? (
                      <span className="text-xs text-gray-500">waits for a reviewer</span>
                    ) : r.actorId === member.userId ? (
                      <span className="text-xs text-gray-500">
                        your change: another reviewer acknowledges it
                      </span>
                    ) : (
                      <AcknowledgeForm
                        org={org}
                        id={r.id}
                        label={`${r.variable ?? r.resourceType} ${r.environment ?? ""}`}
                      />
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
      {reviewer && decided.length > 0 ? (
        <section aria-labelledby="decided-requests" className="space-y-3">
          <h2 id="decided-requests" className="text-lg font-semibold">
            Recently decided
          </h2>
          <p className="text-sm text-gray-700">
            The latest {decided.length} decisions; the audit trail keeps them all.
          </p>
          {cards(decided)}
        </section>
      ) : null}
    </div>
  );
}
