/** The role matrix's expectations: Audit, the caller's own account, invitations. */
import { form, invitation } from "../role-matrix-world";
import { A, AUDITORS, type Case, MEMBERS, SIGNED_IN } from "./common";

export const ACCOUNTS: Record<string, Case> = {
  // Audit and the caller's own account
  [`${A}audit.ts#verifyAuditAction`]: {
    allowed: AUDITORS,
    args: async (w) => [w.org.slug, null, new FormData()],
  },
  [`${A}account.ts#revokeSessionAction`]: {
    // The caller's own other sessions (there are none): every member may.
    allowed: MEMBERS,
    args: async (w) => [w.org.slug, null, form({ others: "true" })],
  },
  [`${A}mfa.ts#beginTotpAction`]: {
    // One's own account, in no organization: anyone signed in, a member of another organization included.
    allowed: SIGNED_IN,
    fresh: true,
    args: async () => [],
  },
  [`${A}mfa.ts#confirmTotpAction`]: {
    allowed: [],
    // A code that is not the current one: refused as a wrong code, never for who the caller is.
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async () => [null, form({ code: "000000" })],
  },
  [`${A}mfa.ts#disableTotpAction`]: {
    allowed: [],
    // Two-factor is off for all of them: "already off", for anyone signed in.
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async () => [null, form({ password: "correct horse battery staple" })],
  },
  [`${A}mfa.ts#reauthenticateAction`]: {
    allowed: SIGNED_IN,
    args: async () => [{ password: "correct horse battery staple" }],
  },

  // The operator console: installation operators only, and none of the callers is one.
  [`${A}ops.ts#signalSessionAction`]: {
    allowed: [],
    args: async () => [null, form({ pid: "1", how: "cancel", reason: "Stuck since the last deploy" })],
  },
  [`${A}ops.ts#checkIntegrityAction`]: {
    allowed: [],
    args: async () => [null, form({ confirm: "check" })],
  },
  [`${A}ops.ts#setThresholdAction`]: {
    allowed: [],
    args: async () => [null, form({ rule: "connections", threshold: "0.5" })],
  },
  [`${A}ops.ts#setLimitsAction`]: {
    allowed: [],
    args: async (w) => [null, form({ organizationId: w.org.id, variables: "10" })],
  },
  [`${A}ops.ts#runPrechecksAction`]: {
    allowed: [],
    args: async () => [null, form({ confirm: "precheck" })],
  },
  [`${A}ops.ts#acknowledgeAlertAction`]: {
    allowed: [],
    args: async () => [null, form({ id: "00000000-0000-4000-8000-000000000000" })],
  },

  // The Saturday pre-check on demand (precheck:run): admins and on-call; wedding hours in three days, beyond
  // the scheduled run's 24 hours, so the server's own job records nothing while refused callers are watched.
  [`${A}precheck.ts#runPrecheckAction`]: {
    allowed: ["admin", "on_call"],
    args: async (w) => [w.org.slug, null, form({ confirm: "precheck" })],
    around: async (w) => {
      const [row] = await w.superSql<{ id: string }[]>`
        insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
        values (${w.org.id}, now() + interval '3 days', now() + interval '3 days 8 hours', 'Role matrix pre-check')
        returning id`;
      return async () => {
        await w.superSql`delete from protection_blackouts where id = ${row.id}`;
      };
    },
  },

  // Organizations self-service. Sign-up is closed on the test server (invitation-only, the default): refused
  // to everyone, and a signed-in caller is told to sign out first. Anyone signed in may add an organization
  // they own; renaming and handing one on are the owner's, and no caller is one.
  [`${A}organizations.ts#signUpAction`]: {
    allowed: [],
    outcome: {
      ...Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
      anonymous: "code:forbidden",
    },
    args: async () => [
      null,
      form({
        email: "matrix-signup@test.example",
        name: "Matrix",
        password: "a long password 1",
        confirm: "a long password 1",
        organization: "Matrix Florists",
        timeZone: "UTC",
      }),
    ],
  },
  [`${A}organizations.ts#createOrganizationAction`]: {
    allowed: SIGNED_IN,
    args: async () => [null, form({ organization: "Matrix Side Business", timeZone: "UTC" })],
  },
  [`${A}organizations.ts#renameOrganizationAction`]: {
    allowed: [],
    args: async (w) => [w.org.slug, null, form({ name: "Renamed by the matrix" })],
  },
  [`${A}organizations.ts#deleteOrganizationAction`]: {
    allowed: [],
    args: async (w) => [w.org.slug, null, form({ confirm: w.org.slug })],
  },
  // Restoring is an owner's of a deleted organization: nobody here owns one, whatever id they send.
  [`${A}organizations.ts#restoreOrganizationAction`]: {
    allowed: [],
    args: async (w) => [null, form({ id: w.org.id })],
  },
  // Erasing one's own account: anyone signed in (recently), with their own address typed; the matrix types
  // another, so each is told so and nobody is erased.
  [`${A}organizations.ts#eraseAccountAction`]: {
    allowed: [],
    fresh: true,
    outcome: Object.fromEntries(SIGNED_IN.map((c) => [c, "code:validation"])),
    args: async () => [null, form({ confirm: "nobody@matrix.invalid" })],
  },
  [`${A}organizations.ts#transferOwnershipAction`]: {
    allowed: [],
    args: async (w) => [w.org.slug, null, form({ userId: w.org.owner.userId, confirm: "transfer" })],
  },

  // Invitations (public pages: the token is the authority)
  [`${A}invitations.ts#joinInvitationAction`]: {
    // The invitation names someone else: every signed-in caller is refused; signed out, sign in first.
    allowed: [],
    args: async (w) => [null, form({ token: (await invitation(w)).token })],
  },
  [`${A}invitations.ts#acceptWithPasswordAction`]: {
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
