import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { listPolicies } from "@/db/repos/access";
import { policyInput } from "@/lib/validation/access";
import { grantPolicy } from "@/server/access/access";
import { makeOrg, rawSql } from "./support";

/** "YYYY-MM-DD HH:mm" of an instant in a zone (Intl, independent of the code under test). */
const local = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);

const input = { subject: "role", role: "viewer", permission: "read", scope: "all", environments: "staging" };

describe("a grant's expiry date", () => {
  it("ends at the end of that day in the organization's zone, not the database session's", async () => {
    const org = await makeOrg();
    const sql = rawSql("super");
    await sql`update organizations set time_zone = 'Pacific/Auckland' where id = ${org.id}`;
    await sql.end();
    const day = new Date(Date.now() + 30 * 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const next = new Date(`${date}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    await withContext(org.owner, (tx) =>
      grantPolicy(tx, org.owner, policyInput.parse({ ...input, expiresAt: date })),
    );
    const [policy] = await listPolicies(org.owner);
    expect(policy.expiresAt).not.toBeNull();
    expect(local(policy.expiresAt as Date, "Pacific/Auckland")).toBe(
      `${next.toISOString().slice(0, 10)} 00:00`,
    );
    // "In the future" is judged by the organization's today, whatever the date is in UTC.
    const today = local(new Date(), "Pacific/Auckland").slice(0, 10);
    await expect(
      withContext(org.owner, (tx) =>
        grantPolicy(tx, org.owner, policyInput.parse({ ...input, expiresAt: today })),
      ),
    ).rejects.toMatchObject({ code: "validation", fieldErrors: { expiresAt: ["Must be in the future"] } });
  });
});
