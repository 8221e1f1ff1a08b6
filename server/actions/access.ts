"use server";

import { z } from "zod";
import { invitationLink } from "@/lib/invitations";
import { type PolicyInput, policyInput, roleChange } from "@/lib/validation/access";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { invitationInput } from "@/lib/validation/invitations";
import { grantPolicy, revokePolicy } from "@/server/access/access";
import { publicOrigin } from "@/server/access/invitation-requests";
import { createInvitation, revokeInvitation } from "@/server/access/invitations";
import { changeRole, removeMember, revokeMemberSessions } from "@/server/access/members";
import { orgAction } from "@/server/entry/action";

const reason = z.object({ reason: optionalText(1000) });
const manage = { call: "form", capability: "members:manage", revalidate: "/access" } as const;

export const grantPolicyAction = orgAction({
  ...manage,
  input: policyInput.and(reason),
  run: (tx, ctx, { reason, ...input }) => grantPolicy(tx, ctx, input as PolicyInput, { reason }),
});

export const revokePolicyAction = orgAction({
  ...manage,
  input: z.object({ id: z.uuid(), version: versionNumber(1) }),
  run: (tx, ctx, input) => revokePolicy(tx, ctx, input),
});

const member = z.object({ userId: z.uuid() });

export const changeRoleAction = orgAction({
  ...manage,
  input: roleChange.extend({ reason: optionalText(1000) }),
  run: (tx, ctx, { reason, ...i }) => changeRole(tx, ctx, i, { reason }),
});

export const removeMemberAction = orgAction({
  ...manage,
  input: member,
  run: (tx, ctx, i) => removeMember(tx, ctx, i),
});

export const revokeSessionsAction = orgAction({
  ...manage,
  input: member,
  run: (tx, ctx, i) => revokeMemberSessions(tx, ctx, i),
});

/** Creates an invitation and returns its link: the only time the token leaves the server. */
export const inviteAction = orgAction({
  ...manage,
  input: invitationInput,
  run: async (tx, ctx, input) => {
    const origin = await publicOrigin();
    const invitation = await createInvitation(tx, ctx, input);
    return {
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      link: invitationLink(origin, invitation.token),
    };
  },
});

export const revokeInvitationAction = orgAction({
  ...manage,
  input: z.object({ id: z.uuid() }),
  run: (tx, ctx, i) => revokeInvitation(tx, ctx, i),
});
