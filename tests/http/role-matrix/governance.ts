/** The role matrix's expectations: Access and members, tokens, webhooks, approvals, settings and wedding hours, break glass. */
import { withContext } from "@/db/context";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { startCliLogin } from "@/server/tokens/cli-login";
import { createEndpoint, queueTestEvent } from "@/server/webhooks/endpoints";
import {
  emergencyReview,
  form,
  idleWindow,
  invitation,
  pendingRequest,
  readGrant,
  serviceToken,
  type World,
  weddingHours,
} from "../role-matrix-world";
import { A, ADMIN, APPROVERS, type Case, MEMBERS } from "./common";

/** An endpoint of the organization on a closed loopback port (an attempt fails at once), and a delivery to it. */
const webhookEndpoint = (world: World) =>
  withContext(world.org.owner, (tx) =>
    createEndpoint(
      tx,
      world.org.owner,
      webhookEndpointInput.parse({ url: "http://127.0.0.1:9/hooks", events: ["value.changed"] }),
    ),
  );
async function webhookDelivery(world: World) {
  const { id } = await webhookEndpoint(world);
  return withContext(world.org.owner, (tx) => queueTestEvent(tx, world.org.owner, id));
}

export const GOVERNANCE: Record<string, Case> = {
  // Access and members
  [`${A}access.ts#grantPolicyAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ subject: "role", role: "viewer", permission: "read", scope: "all", environments: "staging" }),
    ],
  },
  [`${A}access.ts#revokePolicyAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: await readGrant(w), version: "1" })],
  },
  [`${A}access.ts#changeRoleAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ userId: (await w.org.member("viewer")).userId, role: "developer" }),
    ],
  },
  [`${A}access.ts#removeMemberAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ userId: (await w.org.member("viewer")).userId })],
  },
  [`${A}access.ts#revokeSessionsAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ userId: (await w.org.member("viewer")).userId })],
  },
  [`${A}access.ts#inviteAction`]: {
    allowed: ADMIN,
    args: async (w, c) => [
      w.org.slug,
      null,
      form({ email: `${c.replace("_", "-")}-${Date.now()}@invited.example`, role: "developer" }),
    ],
  },
  [`${A}access.ts#revokeInvitationAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await invitation(w)).id })],
  },

  // Service tokens
  [`${A}tokens.ts#createTokenAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ name: "matrix token", environments: "staging", access: "read", expiresInDays: "1" }),
    ],
  },
  [`${A}tokens.ts#setTokenLifetimeAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ maxTokenDays: "365" })],
  },
  // Another person's service token: only owners and admins revoke it (everyone may revoke their own CLI logins).
  [`${A}tokens.ts#revokeTokenAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await serviceToken(w)).id })],
  },
  // Any member approves or denies a CLI login of their own (here: denies a fresh one).
  [`${A}tokens.ts#decideCliLoginAction`]: {
    allowed: MEMBERS,
    args: async (w) => {
      const login = await startCliLogin({
        client: "matrix",
        ip: `10.77.${Math.floor(Math.random() * 250)}.1`,
      });
      return [w.org.slug, null, form({ code: login.userCode, decision: "deny" })];
    },
  },

  // Webhooks
  [`${A}webhooks.ts#createWebhookAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ url: "http://127.0.0.1:9/matrix", events: "value.changed" }),
    ],
  },
  [`${A}webhooks.ts#rotateWebhookSecretAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await webhookEndpoint(w)).id })],
  },
  [`${A}webhooks.ts#setWebhookActiveAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await webhookEndpoint(w)).id, active: "off" })],
  },
  [`${A}webhooks.ts#sendTestEventAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ id: (await webhookEndpoint(w)).id })],
  },
  [`${A}webhooks.ts#replayDeliveryAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ deliveryId: (await webhookDelivery(w)).id })],
  },

  // Approvals
  [`${A}approvals.ts#approveRequestAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w)).id })],
  },
  [`${A}approvals.ts#rejectRequestAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w)).id, note: "Not this way" })],
  },
  [`${A}approvals.ts#cancelRequestAction`]: {
    // Only whoever asked withdraws: here the developer's own request.
    allowed: ["developer"],
    args: async (w) => [w.org.slug, null, form({ id: (await pendingRequest(w, w.members.developer)).id })],
  },
  [`${A}approvals.ts#revealProposedAction`]: {
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
  [`${A}settings.ts#setTimeZoneAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ timeZone: "Europe/London", reason: "We are based in London" }),
    ],
  },
  [`${A}settings.ts#addWindowAction`]: {
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
  [`${A}settings.ts#removeProtectionAction`]: {
    allowed: ADMIN,
    args: async (w) => [
      w.org.slug,
      null,
      form({ kind: "window", id: await idleWindow(w), reason: "Not needed any more" }),
    ],
  },
  [`${A}settings.ts#addBlackoutAction`]: {
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
  [`${A}emergency.ts#openEmergencyAction`]: {
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
  [`${A}emergency.ts#endEmergencyAction`]: {
    // Ends the caller's own session (none here: nothing to end, but every member may ask).
    allowed: MEMBERS,
    args: async (w) => [w.org.slug],
  },
  [`${A}emergency.ts#acknowledgeReviewAction`]: {
    allowed: APPROVERS,
    args: async (w) => [w.org.slug, null, form({ id: await emergencyReview(w), note: "Seen" })],
  },
};
