/**
 * The organization's configuration export (issue 17): owners and admins download what the organization is and
 * how it is set up — its environments, variables' definitions, members, wedding hours and webhook endpoints —
 * audited, and never a value, a default value, a hash or a webhook's signing secret; nobody else may.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit } from "@/db/schema";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { exportConfiguration } from "@/server/organizations/export";
import { createEndpoint } from "@/server/webhooks/endpoints";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;
let signingSecret: string;
const SECRET = "sk_test_51Hexportorgvalue01";

beforeAll(async () => {
  f = await valueFixture();
  await f.set("STRIPE_SECRET_KEY", "development", SECRET);
  const made = await withContext(f.org.owner, (tx) =>
    createEndpoint(
      tx,
      f.org.owner,
      webhookEndpointInput.parse({ url: "https://hooks.example.com/org-export", events: ["value.changed"] }),
    ),
  );
  signingSecret = made.secret;
});

describe("the organization's configuration export", () => {
  it("holds its environments, variables' definitions, members, wedding hours and endpoints, audited", async () => {
    const admin = await f.org.member("admin");
    const data = await withContext(admin, (tx) => exportConfiguration(tx, admin));
    expect(data).toMatchObject({
      format: "ringbearer.organization-export/1",
      organization: { slug: f.org.slug },
    });
    expect(data.environments.map((e) => e.name).sort()).toEqual(["development", "production", "staging"]);
    expect(data.variables.map((v) => v.name)).toEqual(
      expect.arrayContaining(["STRIPE_SECRET_KEY", "FEATURE_CHECKOUT", "SESSION_SECRET"]),
    );
    expect(data.members.map((m) => m.role).sort()).toEqual(["admin", "owner"]);
    expect(data.webhooks).toEqual([
      expect.objectContaining({ url: "https://hooks.example.com/org-export", events: ["value.changed"] }),
    ]);
    const audited = await withContext(f.org.owner, (tx) =>
      tx
        .select({ details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.organizationId, f.org.id),
            eq(environmentVariableAudit.action, "export"),
            eq(environmentVariableAudit.userId, admin.userId),
          ),
        ),
    );
    expect(audited).toEqual([{ details: { what: "configuration", variables: 3 } }]);
  });

  it("never holds a value, a hash or a secret", async () => {
    const text = JSON.stringify(await withContext(f.org.owner, (tx) => exportConfiguration(tx, f.org.owner)));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(signingSecret);
    expect(text).not.toMatch(/hash|sealed|wrapped|encrypted|default_?value/i);
  });

  it("is refused to members who do not manage the organization's settings", async () => {
    for (const role of ["developer", "viewer", "on_call", "security_reviewer"] as const) {
      const member = await f.org.member(role);
      await expect(withContext(member, (tx) => exportConfiguration(tx, member))).rejects.toSatisfy(
        isCode("forbidden"),
      );
    }
  });
});
