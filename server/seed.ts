import type { Database } from "@/db/client";
import { withContext } from "@/db/context";
import { environmentIdsByName } from "@/db/repos/environments";
import { updateMemberRole } from "@/db/repos/organizations";
import { anyUserExists } from "@/db/repos/users";
import type { Role } from "@/lib/roles";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { createUser } from "@/server/auth/users";
import { addDefaultWindow, addMember, createOrganization } from "@/server/organizations/organizations";
import { setValue } from "@/server/values/values";
import { createVariable, type VariableInput } from "@/server/variables/variables";

export const DEMO_PASSWORD = "ringbearer-demo";
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.test", name: "Ada Admin", role: "admin" },
  { email: "reviewer@demo.test", name: "Rita Reviewer", role: "security_reviewer" },
  { email: "oncall@demo.test", name: "Owen On-call", role: "on_call" },
  { email: "dev@demo.test", name: "Dev Developer", role: "developer" },
  { email: "viewer@demo.test", name: "Vera Viewer", role: "viewer" },
];

type DemoVariable = Omit<VariableInput, "displayName" | "description" | "validationPattern"> & {
  description: string;
  values: Partial<Record<"development" | "staging" | "production", string>>;
};

const base = { isRequired: false, isWeddingCritical: false, tags: [] as string[] };
const DEMO_VARIABLES: DemoVariable[] = [
  {
    ...base,
    name: "RESEND_API_KEY",
    description: "Transactional email: booking confirmations and supplier notifications.",
    variableType: "api_key",
    securityClassification: "confidential",
    isRequired: true,
    isWeddingCritical: true,
    tags: ["email", "resend"],
    values: { development: "re_dev_4f9a1c2e", staging: "re_stg_8b7d6e5f", production: "re_prod_1a2b3c4d5e" },
  },
  {
    ...base,
    name: "TWILIO_ACCOUNT_SID",
    description: "SMS reminders to couples on the wedding day.",
    variableType: "api_key",
    securityClassification: "internal",
    tags: ["sms", "twilio"],
    values: {
      development: "AC00000000000000000000000000000dev",
      staging: "AC0000000000000000000000000000stg",
    },
  },
  {
    ...base,
    name: "DATABASE_URL",
    description: "Primary PostgreSQL for bookings.",
    variableType: "database_url",
    securityClassification: "wedding_day_critical",
    isRequired: true,
    isWeddingCritical: true,
    tags: ["database"],
    values: {
      development: "postgres://app:dev-password@localhost:5432/wedsync_dev",
      staging: "postgres://app:staging-password@db.staging.internal:5432/wedsync",
      production: "postgres://app:production-password@db.prod.internal:5432/wedsync",
    },
  },
  {
    ...base,
    name: "NEXT_PUBLIC_POSTHOG_KEY",
    description: "Product analytics (public by design).",
    variableType: "api_key",
    securityClassification: "public",
    tags: ["analytics", "posthog"],
    values: { development: "phc_dev_demo", staging: "phc_staging_demo", production: "phc_production_demo" },
  },
  {
    ...base,
    name: "FEATURE_NEW_BOOKING_FLOW",
    description: "Turns on the redesigned booking flow.",
    variableType: "feature_flag",
    securityClassification: "internal",
    tags: ["feature"],
    values: { development: "true", staging: "true", production: "false" },
  },
  {
    ...base,
    name: "HUBSPOT_PORTAL_ID",
    description: "Marketing CRM portal.",
    variableType: "configuration",
    securityClassification: "internal",
    tags: ["crm", "hubspot"],
    values: { development: "1000001", staging: "1000002" },
  },
];

export async function isEmpty(database: Database): Promise<boolean> {
  // RLS shows the app role no user outside a request context: any_user_exists() (SECURITY DEFINER) answers.
  return !(await anyUserExists(database));
}

/** Seeds the demo organization: five users (one per persona), three environments, a few variables. */
export async function seedDemo(database: Database) {
  const ids: Record<string, string> = {};
  for (const u of DEMO_USERS)
    ids[u.email] = (await createUser(database, { ...u, password: DEMO_PASSWORD })).id;
  const adminId = ids["admin@demo.test"];
  const org = await createOrganization(database, {
    slug: "demo",
    name: "Demo Weddings Ltd",
    timeZone: "Europe/London",
    ownerId: adminId,
    defaultWindow: false,
  });
  for (const u of DEMO_USERS.slice(1)) await addMember(database, adminId, org.id, ids[u.email], u.role);
  const ctx = { userId: adminId, organizationId: org.id, role: "owner" as Role };
  const requests: string[] = [];
  await withContext(
    ctx,
    async (tx) => {
      const envId = await environmentIdsByName(tx, org.id);
      for (const { values, ...variable } of DEMO_VARIABLES) {
        const { id } = await createVariable(tx, ctx, variable);
        for (const [env, value] of Object.entries(values)) {
          const change = await setValue(tx, ctx, {
            variableId: id,
            environmentId: envId[env],
            value,
            expectedVersion: 0,
            note: "Initial value, seeded with the demo",
          });
          if (change.status === "requested") requests.push(change.requestId);
        }
      }
    },
    database,
  );
  // Critical production values are four-eyes changes even in the demo: the reviewer approves them.
  const reviewer = {
    userId: ids["reviewer@demo.test"],
    organizationId: org.id,
    role: "security_reviewer" as Role,
  };
  for (const id of requests)
    await withContext(
      reviewer,
      (tx) => approveChangeRequest(tx, reviewer, { id, note: "Demo seed" }),
      database,
    );
  await withContext(
    ctx,
    async (tx) => {
      // Wedding hours are added last so seeding works on a weekend too. The end-to-end suite seeds without
      // the weekly window (RINGBEARER_SEED_WEDDING_WINDOW=false) so it passes on any day; it adds a blackout.
      if (process.env.RINGBEARER_SEED_WEDDING_WINDOW !== "false") await addDefaultWindow(tx, org.id, adminId);
      // The demo's admin created the organization as its owner and becomes an admin here, directly: the
      // members service refuses a change of one's own role.
      await updateMemberRole(tx, org.id, adminId, "admin");
    },
    database,
  );
  return org;
}
