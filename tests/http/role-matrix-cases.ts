/**
 * The role matrix's expectations: for every server action of the build (keyed `file#export`), who may call it
 * with the fixture its `args` build (fresh for each call), and what anyone else gets. Callers are the admin,
 * security reviewer, on-call, developer and viewer of one organization, an admin of another organization, and a
 * signed-out visitor. Values live in staging unless said otherwise: developers write there, on-call may read and
 * propose, viewers read, security reviewers read no values.
 *
 * A new action without an entry here fails the matrix: decide who may call it, then add it.
 */
import {
  type Caller,
  completedSync,
  deletedVariable,
  emergencyReview,
  form,
  idleWindow,
  invitation,
  openDriftRow,
  pendingRequest,
  readGrant,
  target,
  variable,
  type World,
  weddingHours,
} from "./role-matrix-world";

/** What a caller gets: the action's success, a refusal for who they are, or another refusal (a code). */
export type Outcome = "ok" | "denied" | `code:${string}`;

export type Case = {
  /** Callers for whom the call succeeds (`{ ok: true }`, a change sent for approval included). */
  allowed: readonly Caller[];
  /** An outcome other than ok/denied for some callers (e.g. a signed-in user's own two-factor actions). */
  outcome?: Partial<Record<Caller, Outcome>>;
  /** The arguments the browser would send, for one caller (a fresh fixture each time). */
  args: (w: World, caller: Caller) => Promise<unknown[]>;
  /** Sign everyone in again first: the action needs a recent re-authentication (step-up). */
  fresh?: boolean;
  /** Set up something every caller's call needs (e.g. wedding hours), and undo it afterwards. */
  around?: (w: World) => Promise<() => Promise<void>>;
};

const MEMBERS = ["admin", "security_reviewer", "on_call", "developer", "viewer"] as const;
const SIGNED_IN = [...MEMBERS, "other"] as const;
const ADMIN = ["admin"] as const;
const APPROVERS = ["admin", "security_reviewer"] as const;
/** Write or propose a staging value: admins and developers write, on-call proposes (a change request). */
const STAGING_WRITERS = ["admin", "on_call", "developer"] as const;
const STAGING_READERS = ["admin", "on_call", "developer", "viewer"] as const;
const AUDITORS = ["admin", "security_reviewer", "on_call"] as const;

const A = "app/(console)/o/[org]/";

export const CASES: Record<string, Case> = {
  // Variables and values
  [`${A}variables/actions.ts#createVariableAction`]: {
    allowed: ["admin", "developer"],
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        name: `NEW_${c.toUpperCase()}_${Date.now()}`,
        variableType: "configuration",
        securityClassification: "internal",
      }),
    ],
  },
  [`${A}variables/actions.ts#updateVariableAction`]: {
    allowed: ["admin", "developer"],
    args: async (w) => {
      const v = await variable(w);
      const [row] = await w.superSql<
        { name: string }[]
      >`select name from environment_variables where id = ${v.id}`;
      return [
        w.org.slug,
        null,
        form({
          id: v.id,
          version: String(v.version),
          name: row.name,
          variableType: "secret",
          securityClassification: "internal",
          description: "Updated by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables/actions.ts#deleteVariableAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const v = await variable(w);
      return [w.org.slug, form({ id: v.id, version: String(v.version) })];
    },
  },
  [`${A}variables/actions.ts#restoreVariableAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, form({ id: await deletedVariable(w) })],
  },
  [`${A}variables/actions.ts#setValueAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w);
      return [
        w.org.slug,
        null,
        form({
          variableId: v.id,
          environmentId: w.org.env.staging,
          value: "staging-value",
          expectedVersion: "0",
          note: "Set by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables/actions.ts#deleteValueAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w, { values: { staging: "to-delete" } });
      return [
        w.org.slug,
        null,
        form({
          variableId: v.id,
          environmentId: w.org.env.staging,
          expectedVersion: "1",
          note: "Deleted by the role matrix",
        }),
      ];
    },
  },
  [`${A}variables/actions.ts#revealValueAction`]: {
    allowed: STAGING_READERS,
    args: async (w) => {
      const v = await variable(w, { values: { staging: "to-reveal" } });
      return [w.org.slug, { variableId: v.id, environmentId: w.org.env.staging }];
    },
  },
  [`${A}variables/actions.ts#restoreVersionAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w, { values: { staging: "first" } });
      return [
        w.org.slug,
        {
          variableId: v.id,
          environmentId: w.org.env.staging,
          version: 1,
          expectedVersion: 1,
          reason: "Back to the first value",
        },
      ];
    },
  },
  [`${A}variables/actions.ts#checkConnectivityAction`]: {
    allowed: STAGING_READERS,
    args: async (w) => {
      const v = await variable(w, {
        type: "database_url",
        values: { staging: "postgres://app@127.0.0.1:1/app" },
      });
      return [w.org.slug, { variableId: v.id, environmentId: w.org.env.staging }];
    },
  },

  // Environments and .env import
  [`${A}environments/actions.ts#createEnvironmentAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        name: `qa-${c.replace("_", "-")}-${Date.now()}`,
        displayName: "QA",
        environmentType: "testing",
      }),
    ],
  },
  [`${A}environments/actions.ts#updateEnvironmentAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const [env] = await w.superSql<{ version: number }[]>`
        select version from environments where id = ${w.org.env.staging}`;
      return [
        w.org.slug,
        null,
        form({
          id: w.org.env.staging,
          version: String(env.version),
          name: "staging",
          displayName: "Staging",
          environmentType: "staging",
          description: `Touched at ${Date.now()}`,
        }),
      ];
    },
  },
  [`${A}environments/actions.ts#previewImportAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => [w.org.slug, { environmentId: w.org.env.staging, text: "PREVIEWED_KEY=1\n" }],
  },
  [`${A}environments/actions.ts#applyImportAction`]: {
    // A key that exists (on-call may propose values, not create variables).
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w);
      const [row] = await w.superSql<
        { name: string }[]
      >`select name from environment_variables where id = ${v.id}`;
      return [
        w.org.slug,
        {
          environmentId: w.org.env.staging,
          text: `${row.name}=1\n`,
          expected: { [row.name]: 0 },
          note: "Imported by the role matrix",
        },
      ];
    },
  },

  // Compare and promote
  [`${A}compare/actions.ts#promoteAction`]: {
    allowed: STAGING_WRITERS,
    args: async (w) => {
      const v = await variable(w, { values: { development: "from-dev" } });
      return [
        w.org.slug,
        {
          fromEnvironmentId: w.org.env.development,
          toEnvironmentId: w.org.env.staging,
          items: [{ variableId: v.id, expectedVersion: 0 }],
          note: "Promoted by the role matrix",
        },
      ];
    },
  },

  // Access and members
  [`${A}access/actions.ts#grantPolicyAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ subject: "role", role: "viewer", permission: "read", scope: "all", environments: "staging" }),
    ],
  },
  [`${A}access/actions.ts#revokePolicyAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await readGrant(w), version: "1" })],
  },
  [`${A}access/actions.ts#changeRoleAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ userId: (await w.org.member("viewer")).userId, role: "developer" }),
    ],
  },
  [`${A}access/actions.ts#removeMemberAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ userId: (await w.org.member("viewer")).userId })],
  },
  [`${A}access/actions.ts#revokeSessionsAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ userId: (await w.org.member("viewer")).userId })],
  },
  [`${A}access/actions.ts#inviteAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({ email: `${c.replace("_", "-")}-${Date.now()}@invited.example`, role: "developer" }),
    ],
  },
  [`${A}access/actions.ts#revokeInvitationAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await invitation(w)).id })],
  },

  // Approvals
  [`${A}approvals/actions.ts#approveRequestAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w)).id })],
  },
  [`${A}approvals/actions.ts#rejectRequestAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w)).id, note: "Not this way" })],
  },
  [`${A}approvals/actions.ts#cancelRequestAction`]: {
    // Only whoever asked withdraws: here the developer's own request.
    allowed: ["developer"],
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w, w.members.developer)).id })],
  },
  [`${A}approvals/actions.ts#revealProposedAction`]: {
    // A production proposal by the developer: revealed by those who decide it or asked for it, and who may read
    // production's values — here the admin only (finding 5: not the reviewer, who reads no values, nor the
    // developer, who cannot read production).
    allowed: ADMIN,
    args: async (w) => {
      const r = await pendingRequest(w, w.members.developer);
      return [w.org.slug, { id: r.id, variableId: r.variableId }];
    },
  },

  // Settings: time zone and wedding hours
  [`${A}settings/actions.ts#setTimeZoneAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ timeZone: "Europe/London", reason: "We are based in London" }),
    ],
  },
  [`${A}settings/actions.ts#addWindowAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      // Three days from now, so it is not in force while the matrix runs.
      const day = String(((new Date().getUTCDay() + 6 + 3) % 7) + 1);
      return [
        w.org.slug,
        null,
        form({ startDay: day, startTime: "02:00", endDay: day, endTime: "02:30", label: "Matrix" }),
      ];
    },
  },
  [`${A}settings/actions.ts#removeProtectionAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ kind: "window", id: await idleWindow(w), reason: "Not needed any more" }),
    ],
  },
  [`${A}settings/actions.ts#addBlackoutAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const day = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
      return [
        w.org.slug,
        null,
        form({ startsAt: `${day}T09:00`, endsAt: `${day}T21:00`, reason: "Wedding" }),
      ];
    },
  },

  // Break glass (during wedding hours)
  [`${A}emergency/actions.ts#openEmergencyAction`]: {
    allowed: ["admin", "on_call"],
    fresh: true,
    around: weddingHours,
    args: async (w) => [
      w.org.slug,
      null,
      form({
        environmentId: w.org.env.production,
        reason: "The payment key broke during the ceremony",
        minutes: "15",
      }),
    ],
  },
  [`${A}emergency/actions.ts#endEmergencyAction`]: {
    // Ends the caller's own session (none here: nothing to end, but every member may ask).
    allowed: MEMBERS,
    args: async (w) => [w.org.slug],
  },
  [`${A}emergency/actions.ts#acknowledgeReviewAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: await emergencyReview(w), note: "Seen" })],
  },

  // Drift and deployment targets
  [`${A}drift/actions.ts#createTargetAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({
        environmentId: w.org.env.staging,
        name: `t-${c.replace("_", "-")}-${Date.now()}`,
        kind: "http",
        location: "http://127.0.0.1:1",
        secret: "a-shared-secret-for-the-role-matrix-0123",
        scanIntervalMinutes: "1440",
      }),
    ],
  },
  [`${A}drift/actions.ts#updateTargetAction`]: {
    allowed: ADMIN,
    args: async (w) => {
      const t = await target(w);
      return [
        w.org.slug,
        null,
        form({
          id: t.id,
          version: String(t.version),
          kind: "http",
          name: t.name,
          location: "http://127.0.0.1:1",
          scanIntervalMinutes: "720",
        }),
      ];
    },
  },
  [`${A}drift/actions.ts#rotateSecretAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await target(w)).id })],
  },
  [`${A}drift/actions.ts#setTargetActiveAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, { id: (await target(w)).id, active: false }],
  },
  [`${A}drift/actions.ts#testTargetAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift/actions.ts#scanTargetAction`]: {
    // Reads every staging value to compare: those who may read them all.
    allowed: STAGING_READERS,
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift/actions.ts#pushTargetAction`]: {
    // Writes staging's values out: those who may write there (on-call may only propose).
    allowed: ["admin", "developer"],
    args: async (w) => [w.org.slug, { id: (await target(w)).id }],
  },
  [`${A}drift/actions.ts#rollbackAction`]: {
    allowed: ["admin", "developer"],
    args: async (w) => {
      const t = await target(w);
      return [w.org.slug, { id: t.id, syncId: await completedSync(w, t.id) }];
    },
  },
  [`${A}drift/actions.ts#resolveDriftAction`]: {
    // Dismiss: on-call and admins anywhere, others where they may write (developers in staging).
    allowed: ["admin", "on_call", "developer"],
    args: async (w) => [
      w.org.slug,
      null,
      form({ id: await openDriftRow(w, (await target(w)).id), action: "dismiss", note: "Known, ticket 42" }),
    ],
  },

  // Audit and the caller's own account
  [`${A}audit/actions.ts#verifyAuditAction`]: {
    allowed: AUDITORS,
    args: async (w) => [w.org.slug, null, new FormData()],
  },
  [`${A}account/actions.ts#revokeSessionAction`]: {
    // The caller's own other sessions (there are none): every member may.
    allowed: MEMBERS,
    args: async (w) => [w.org.slug, null, form({ others: "true" })],
  },
  [`${A}account/mfa-actions.ts#beginTotpAction`]: {
    // One's own account, in no organization: anyone signed in, a member of another organization included.
    allowed: SIGNED_IN,
    fresh: true,
    args: async () => [],
  },
  [`${A}account/mfa-actions.ts#confirmTotpAction`]: {
    allowed: [],
    // A code that is not the current one: refused as a wrong code, never for who the caller is.
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async () => [null, form({ code: "000000" })],
  },
  [`${A}account/mfa-actions.ts#disableTotpAction`]: {
    allowed: [],
    // Two-factor is off for all of them: "already off", for anyone signed in.
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async () => [null, form({ password: "correct horse battery staple" })],
  },
  [`${A}account/mfa-actions.ts#reauthenticateAction`]: {
    allowed: SIGNED_IN,
    args: async () => [{ password: "correct horse battery staple" }],
  },

  // Invitations (public pages: the token is the authority)
  "app/(auth)/invite/[token]/actions.ts#joinInvitationAction": {
    // The invitation names someone else: every signed-in caller is refused; signed out, sign in first.
    allowed: [],
    args: async (w) => [null, form({ token: (await invitation(w)).token })],
  },
  "app/(auth)/invite/[token]/actions.ts#acceptWithPasswordAction": {
    // Signed out, the invitee sets a password and joins; signed in, they are asked to sign out first.
    allowed: ["anonymous"],
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async (w) => [
      null,
      form({
        token: (await invitation(w)).token,
        name: "Invitee",
        password: "a long password 1",
        confirm: "a long password 1",
      }),
    ],
  },
};

/** API routes (GET), with who may read them; `path` fills the template for the matrix's organization. */
export const ROUTES: Record<
  string,
  { allowed: readonly Caller[]; path: (w: World) => string; public?: boolean }
> = {
  "/api/health": { allowed: [...SIGNED_IN, "anonymous"], path: () => "/api/health", public: true },
  "/api/health/environments": {
    allowed: MEMBERS,
    path: (w) => `/api/health/environments?org=${w.org.slug}`,
  },
  "/api/o/[org]/matrix": { allowed: MEMBERS, path: (w) => `/api/o/${w.org.slug}/matrix?offset=0&limit=10` },
  "/api/o/[org]/events": { allowed: MEMBERS, path: (w) => `/api/o/${w.org.slug}/events` },
  "/api/o/[org]/audit/export": {
    allowed: AUDITORS,
    path: (w) => `/api/o/${w.org.slug}/audit/export?format=csv`,
  },
  "/api/o/[org]/audit/activity": { allowed: AUDITORS, path: (w) => `/api/o/${w.org.slug}/audit/activity` },
  "/api/o/[org]/environments/[id]/export": {
    allowed: STAGING_READERS,
    path: (w) => `/api/o/${w.org.slug}/environments/${w.org.env.staging}/export?format=env`,
  },
  // next-auth's own endpoints (sign-in, session, sign-out) are public by design, tested by the sign-in tests.
  "/api/auth/[...nextauth]": {
    allowed: [...SIGNED_IN, "anonymous"],
    path: () => "/api/auth/providers",
    public: true,
  },
};
