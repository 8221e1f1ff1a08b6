"use server";

import { z } from "zod";
import { grantPolicy, revokePolicy } from "@/db/mutations/access";
import { createInvitation, revokeInvitation } from "@/db/mutations/invitations";
import { changeRole, removeMember, revokeMemberSessions } from "@/db/mutations/members";
import { invitationLink } from "@/lib/invitations";
import { ROLES } from "@/lib/roles";
import { type PolicyInput, policyInput } from "@/lib/validation/access";
import { optionalText, versionNumber } from "@/lib/validation/fields";
import { invitationInput } from "@/lib/validation/invitations";
import { runAction } from "@/server/action";
import { publicOrigin } from "@/server/invitations";

const reason = z.object({ reason: optionalText(1000) });

export async function grantPolicyAction(org: string, _prev: unknown, form: FormData) {
  return runAction(
    org,
    policyInput.and(reason),
    form,
    (tx, ctx, { reason, ...input }) => grantPolicy(tx, ctx, input as PolicyInput, { reason }),
    { capability: "members:manage", revalidate: "/access" },
  );
}

export async function revokePolicyAction(org: string, _prev: unknown, form: FormData) {
  const schema = z.object({ id: z.uuid(), version: versionNumber(1) });
  return runAction(org, schema, form, (tx, ctx, input) => revokePolicy(tx, ctx, input), {
    capability: "members:manage",
    revalidate: "/access",
  });
}

const member = z.object({ userId: z.uuid() });

export async function changeRoleAction(org: string, _prev: unknown, form: FormData) {
  return runAction(
    org,
    member.extend({ role: z.enum(ROLES, { error: "Choose a role" }), reason: optionalText(1000) }),
    form,
    (tx, ctx, { reason, ...i }) => changeRole(tx, ctx, i, { reason }),
    { capability: "members:manage", revalidate: "/access" },
  );
}

export async function removeMemberAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, member, form, (tx, ctx, i) => removeMember(tx, ctx, i), {
    capability: "members:manage",
    revalidate: "/access",
  });
}

export async function revokeSessionsAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, member, form, (tx, ctx, i) => revokeMemberSessions(tx, ctx, i), {
    capability: "members:manage",
    revalidate: "/access",
  });
}

/** Creates an invitation and returns its link: the only time the token leaves the server. */
export async function inviteAction(org: string, _prev: unknown, form: FormData) {
  const origin = await publicOrigin();
  return runAction(
    org,
    invitationInput,
    form,
    async (tx, ctx, input) => {
      const invitation = await createInvitation(tx, ctx, input);
      return {
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt.toISOString(),
        link: invitationLink(origin, invitation.token),
      };
    },
    { capability: "members:manage", revalidate: "/access" },
  );
}

export async function revokeInvitationAction(org: string, _prev: unknown, form: FormData) {
  return runAction(org, z.object({ id: z.uuid() }), form, (tx, ctx, i) => revokeInvitation(tx, ctx, i), {
    capability: "members:manage",
    revalidate: "/access",
  });
}
