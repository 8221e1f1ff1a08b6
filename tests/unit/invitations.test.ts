import { describe, expect, it } from "vitest";
import { canInviteAs, INVITATION_TOKEN, invitationLink, newInvitationToken } from "@/lib/invitations";
import { ROLES } from "@/lib/roles";

describe("invitation tokens", () => {
  it("are 32 random bytes in base64url (their keyed hash is tests/db/invitations.test.ts's)", () => {
    const token = newInvitationToken();
    expect(token).toMatch(INVITATION_TOKEN);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const many = new Set(Array.from({ length: 200 }, () => newInvitationToken()));
    expect(many.size).toBe(200);
  });

  it("make a link on the console's origin", () => {
    expect(invitationLink("https://console.example/", "abc")).toBe("https://console.example/invite/abc");
    expect(invitationLink("http://localhost:3000", "abc")).toBe("http://localhost:3000/invite/abc");
  });
});

describe("who may invite as what", () => {
  it("an owner invites any role; an admin any role but owner", () => {
    expect(ROLES.filter((r) => canInviteAs("owner", r))).toEqual([...ROLES]);
    expect(ROLES.filter((r) => canInviteAs("admin", r))).toEqual(ROLES.filter((r) => r !== "owner"));
  });
});
