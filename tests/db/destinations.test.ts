/**
 * Analytics destinations (issue 15, seed 003) through their services and as the app role in SQL: typed settings
 * with field errors, vault fields kept as values (a production secret waits for a reviewer), one live
 * destination per type and environment, soft delete and restore, a production deletion that is CRITICAL, the
 * wedding-hours lock, and another organization seeing nothing.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { changeRequests, destinations, environmentVariableAudit } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { destinationCreation, destinationUpdate } from "@/lib/validation/destinations";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { deleteDestination, restoreDestination } from "@/server/destinations/destination-removal";
import { createDestination, updateDestination } from "@/server/destinations/destinations";
import { makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";

let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  [org, other] = await Promise.all([makeOrg(), makeOrg()]);
});

const creation = (raw: Record<string, unknown>) => destinationCreation.parseAsync(raw);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as AppError,
  );

const posthog = (environment: string, extra: Record<string, unknown> = {}) => ({
  type: "posthog",
  environment,
  name: "Site analytics",
  "settings.host": "https://eu.posthog.example",
  "settings.enableClientSide": "on",
  requiredConsent: ["measurement"],
  enabled: "on",
  ...extra,
});

describe("a destination's typed settings", () => {
  it("refuses a bad setting and an unknown vault field with field errors, and writes nothing", async () => {
    const input = await creation(posthog("staging", { "settings.host": "ftp://x", "secrets.nope": "1" }));
    const error = await failure(withContext(org.owner, (tx) => createDestination(tx, org.owner, input)));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors).toMatchObject({
      "settings.host": ["Host must be an https:// address"],
    });
    const plain = await creation(posthog("staging", { "settings.host": "http://eu.posthog.example" }));
    const insecure = await failure(withContext(org.owner, (tx) => createDestination(tx, org.owner, plain)));
    expect(insecure.fieldErrors).toEqual({ "settings.host": ["Use https: the provider receives your key"] });
    const inside = await creation(posthog("staging", { "settings.host": "https://10.1.2.3" }));
    const refused = await failure(withContext(org.owner, (tx) => createDestination(tx, org.owner, inside)));
    expect(refused.fieldErrors?.["settings.host"]?.[0]).toMatch(/may not reach this address/);
    expect(error.fieldErrors).toMatchObject({
      "secrets.nope": ["PostHog has no field nope"],
    });
    const consent = await destinationCreation.safeParseAsync(
      posthog("staging", { requiredConsent: ["ads"] }),
    );
    expect(consent.success).toBe(false);
  });
});

describe("creating, editing, deleting and restoring", () => {
  let id: string;

  it("keeps the project key as a value of a variable made for it, and audits the configuration", async () => {
    const input = await creation(posthog("staging", { "secrets.apiKey": "phc_staging_key_123" }));
    const saved = await withContext(org.owner, (tx) => createDestination(tx, org.owner, input));
    id = saved.id;
    expect(saved.secrets).toMatchObject([
      { field: "apiKey", variable: "POSTHOG_API_KEY", status: "applied", version: 1 },
    ]);
    const rows = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.resourceType, "destination"),
            eq(environmentVariableAudit.resourceId, id),
          ),
        ),
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0].changeDetails)).toContain("eu.posthog.example");
    expect(JSON.stringify(rows[0].changeDetails)).not.toContain("phc_staging_key_123");
  });

  it("refuses a second live PostHog destination in the same environment", async () => {
    const input = await creation(posthog("staging", { name: "Another" }));
    const error = await failure(withContext(org.owner, (tx) => createDestination(tx, org.owner, input)));
    expect(error.code).toBe("conflict:exists");
    expect(error.fieldErrors?.type?.[0]).toMatch(/staging already has a PostHog destination/);
  });

  it("refuses a stale edit, and applies a current one with before and after in the audit", async () => {
    const stale = await destinationUpdate.parseAsync({ ...posthog("staging"), id, version: 7 });
    expect(
      (await failure(withContext(org.owner, (tx) => updateDestination(tx, org.owner, stale)))).code,
    ).toBe("conflict:version");
    const edit = await destinationUpdate.parseAsync({
      ...posthog("staging", { "settings.host": "https://us.posthog.example" }),
      id,
      version: 1,
    });
    const saved = await withContext(org.owner, (tx) => updateDestination(tx, org.owner, edit));
    expect(saved.version).toBe(2);
    const [row] = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableAudit)
        .where(
          and(eq(environmentVariableAudit.resourceId, id), eq(environmentVariableAudit.action, "update")),
        ),
    );
    expect(row.riskLevel).toBe("MEDIUM");
    expect(row.changeDetails).toMatchObject({
      changed: { host: { from: "https://eu.posthog.example", to: "https://us.posthog.example" } },
    });
  });

  it("deletes outside production at once, then restores it disabled; restore is refused while a live one exists", async () => {
    expect(
      await withContext(org.owner, (tx) => deleteDestination(tx, org.owner, { id, version: 2 })),
    ).toMatchObject({
      status: "applied",
    });
    const replacement = await withContext(org.owner, async (tx) =>
      createDestination(tx, org.owner, await creation(posthog("staging", { name: "Replacement" }))),
    );
    const refused = await failure(withContext(org.owner, (tx) => restoreDestination(tx, org.owner, { id })));
    expect(refused.code).toBe("conflict:exists");
    expect(refused.fieldErrors?.form?.[0]).toMatch(/already has a live PostHog destination \(Replacement\)/);
    await withContext(org.owner, (tx) =>
      deleteDestination(tx, org.owner, { id: replacement.id, version: replacement.version }),
    );
    const restored = await withContext(org.owner, (tx) => restoreDestination(tx, org.owner, { id }));
    expect(restored.status).toBe("applied");
    const [row] = await withContext(org.owner, (tx) =>
      tx.select().from(destinations).where(eq(destinations.id, id)),
    );
    expect(row).toMatchObject({ enabled: false, deletedAt: null, connectionStatus: "unknown" });
  });
});

describe("in production", () => {
  let id: string;

  it("saves the configuration and sends the Conversions API token to a reviewer", async () => {
    const input = await creation({
      type: "meta-pixel",
      environment: "production",
      name: "Pixel",
      "settings.pixelId": "123456789",
      "secrets.accessToken": "EAAB-production-token",
      requiredConsent: ["marketing"],
      reason: "Marketing asked for the pixel on the live site",
    });
    const saved = await withContext(org.owner, (tx) => createDestination(tx, org.owner, input));
    id = saved.id;
    expect(saved.secrets).toMatchObject([
      { field: "accessToken", variable: "META_CAPI_ACCESS_TOKEN", status: "requested", riskLevel: "HIGH" },
    ]);
  });

  it("asks for a reason before a production secret waits for a reviewer", async () => {
    const edit = await destinationUpdate.parseAsync({
      name: "Pixel",
      "settings.pixelId": "123456789",
      "secrets.accessToken": "EAAB-another",
      requiredConsent: ["marketing"],
      id,
      version: 1,
    });
    const error = await failure(withContext(org.owner, (tx) => updateDestination(tx, org.owner, edit)));
    expect(error.code).toBe("validation");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["reason"]);
  });

  it("makes deleting CRITICAL: a change request another person approves; the database refuses it otherwise", async () => {
    const direct = await failure(
      withContext(org.owner, (tx) => deleteDestination(tx, org.owner, { id, version: 1 })),
    );
    expect(direct.fieldErrors?.reason?.[0]).toMatch(/CRITICAL/);
    const deferred = await withContext(org.owner, (tx) =>
      deleteDestination(tx, org.owner, {
        id,
        version: 1,
        reason: "The pixel is replaced by the server-side API",
      }),
    );
    expect(deferred).toMatchObject({ status: "requested", riskLevel: "CRITICAL" });
    // An admin writing the row in SQL, without the approved request, is refused by the trigger.
    const sql = rawSql("app");
    try {
      const refused = await sql
        .begin(async (t) => {
          await t`select set_config('app.user_id', ${org.owner.userId}, true), set_config('app.organization_id', ${org.id}, true)`;
          await t`update destinations set deleted_at = now() where id = ${id}`;
        })
        .then(
          () => "",
          (e: Error) => e.message,
        );
      expect(refused).toMatch(/approval_required/);
    } finally {
      await sql.end();
    }
    const reviewer = await org.member("security_reviewer");
    if (deferred.status !== "requested") throw new Error("expected a request");
    const decision = await withContext(reviewer, (tx) =>
      approveChangeRequest(tx, reviewer, { id: deferred.requestId }),
    );
    expect(decision.status).toBe("approved");
    const [row] = await withContext(org.owner, (tx) =>
      tx.select().from(destinations).where(eq(destinations.id, id)),
    );
    expect(row.deletedAt).not.toBeNull();
    const [request] = await withContext(org.owner, (tx) =>
      tx.select().from(changeRequests).where(eq(changeRequests.id, deferred.requestId)),
    );
    expect(request.status).toBe("approved");
  });

  it("refuses any change during wedding hours, with until when", async () => {
    const locked = await makeOrg();
    await startWeddingHours(locked);
    const input = await creation(posthog("production"));
    const error = await failure(
      withContext(locked.owner, (tx) => createDestination(tx, locked.owner, input)),
    );
    expect(error.code).toBe("locked:wedding_hours");
    expect(error.fieldErrors?.form?.[0]).toMatch(
      /Destinations of production cannot change while wedding hours/,
    );
    // Staging is not protected: it goes on.
    const staging = await withContext(locked.owner, async (tx) =>
      createDestination(tx, locked.owner, await creation(posthog("staging"))),
    );
    expect(staging.status).toBe("applied");
  });
});

describe("who may", () => {
  it("lets a viewer read but not add; the database refuses the row too", async () => {
    const viewer = await org.member("viewer");
    const input = await creation(posthog("development"));
    expect((await failure(withContext(viewer, (tx) => createDestination(tx, viewer, input)))).code).toBe(
      "forbidden",
    );
    const seen = await withContext(viewer, (tx) => tx.select().from(destinations));
    expect(seen.length).toBeGreaterThan(0);
    const sql = rawSql("app");
    try {
      const refused = await sql
        .begin(async (t) => {
          await t`select set_config('app.user_id', ${viewer.userId}, true), set_config('app.organization_id', ${org.id}, true)`;
          await t`insert into destinations (organization_id, environment_id, type, name, created_by)
                  values (${org.id}, ${org.env.development}, 'console', 'x', ${viewer.userId})`;
        })
        .then(
          () => "",
          (e: Error) => e.message,
        );
      expect(refused).toMatch(/row-level security/);
    } finally {
      await sql.end();
    }
  });

  it("shows another organization nothing, and refuses its id", async () => {
    const seen = await withContext(other.owner, (tx) => tx.select().from(destinations));
    expect(seen).toEqual([]);
    const [mine] = await withContext(org.owner, (tx) => tx.select().from(destinations));
    const error = await failure(
      withContext(other.owner, (tx) =>
        deleteDestination(tx, other.owner, { id: mine.id, version: mine.version }),
      ),
    );
    expect(error.code).toBe("not_found");
  });
});
