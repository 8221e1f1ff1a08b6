/**
 * The dashboard's reminder that the data key is due for rotation (issue 16): shown to those who may see the
 * keys once the active version is older than the organization's interval, not while a rotation runs, not to
 * other roles, and gone once it is rotated.
 */
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { dataKeyReminder } from "@/server/keys/key-reads";
import { saveKeyPolicy, startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { makeOrg, rawSql } from "./support";

describe("the data key rotation reminder", () => {
  it("appears when the active key is past the interval, for owners, admins and reviewers only", async () => {
    const org = await makeOrg();
    const reminder = (ctx = org.owner) => withContext(ctx, (tx) => dataKeyReminder(tx, ctx));
    expect(await reminder()).toBeNull(); // no interval set
    await withContext(org.owner, (tx) =>
      saveKeyPolicy(tx, org.owner, { minDecryptionVersion: 1, dataKeyRotationDays: 30 }),
    );
    expect(await reminder()).toBeNull(); // a key made today
    const su = rawSql("super");
    try {
      await su`update encryption_keys set created_at = now() - interval '45 days'
                where organization_id = ${org.id} and key_type = 'data'`;
    } finally {
      await su.end();
    }
    expect(await reminder()).toMatchObject({ version: 1, ageDays: 45, intervalDays: 30, overdueDays: 15 });
    expect(await reminder(await org.member("security_reviewer"))).toMatchObject({ overdueDays: 15 });
    expect(await reminder(await org.member("developer"))).toBeNull();
    expect(await reminder(await org.member("on_call"))).toBeNull();

    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    expect(await reminder()).toBeNull(); // under way
    await runRotation(org.owner, rotation.id);
    expect(await reminder()).toBeNull(); // version 2 is new
  });
});
