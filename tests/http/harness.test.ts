import { describe, expect, it } from "vitest";
import { callAction, listActions } from "./actions";
import { listRoutes, routeMethods, routePath } from "./routes";
import { HttpSession } from "./session";

const action = (name: string) => {
  const found = listActions().find((a) => a.exportedName === name);
  if (!found) throw new Error(`no action ${name}`);
  return found;
};

describe("the HTTP harness", () => {
  it("signs in over HTTP and names the user", async () => {
    const admin = await HttpSession.signIn("admin@demo.test", "ringbearer-demo");
    const who = JSON.parse((await admin.request("/api/auth/session")).body);
    expect(who.user.email).toBe("admin@demo.test");
    await expect(HttpSession.signIn("admin@demo.test", "wrong password")).rejects.toThrow(/failed/);
  });

  it("lists every action with a page to post to, and every API route with its methods", async () => {
    const actions = listActions();
    expect(actions.length).toBeGreaterThan(40);
    expect(actions.filter((a) => !a.page)).toEqual([]);
    // Any page that imports the action's module will do (the shortest path is taken: here the matrix or the list).
    expect(action("createVariableAction").page).toMatch(/^\/o\/\[org\]\/(variables|matrix)$/);
    expect(action("joinInvitationAction").page).toBe("/invite/[token]");
    const routes = listRoutes().map((r) => r.template);
    expect(routes).toContain("/api/o/[org]/audit/export");
    const anonymous = HttpSession.anonymous();
    expect(await routeMethods(anonymous, "/api/health")).toEqual(["GET"]);
    const exportRoute = listRoutes().find((r) => r.template === "/api/o/[org]/audit/export");
    expect(exportRoute && routePath(exportRoute, { org: "demo" })).toBe("/api/o/demo/audit/export");
  });

  it("calls actions as the browser does: FormData and plain argument lists, decoded to their result", async () => {
    const admin = await HttpSession.signIn("admin@demo.test", "ringbearer-demo");
    const verify = await callAction(admin, action("verifyAuditAction"), ["demo", null, new FormData()], {
      params: { org: "demo" },
    });
    expect(verify.status).toBe(200);
    expect(verify.result).toMatchObject({ ok: true });

    const form = new FormData();
    form.set("name", "HARNESS_CHECK");
    form.set("variableType", "configuration");
    form.set("securityClassification", "internal");
    form.set("tags", "");
    const created = await callAction(admin, action("createVariableAction"), ["demo", null, form], {
      params: { org: "demo" },
    });
    expect(created.result).toMatchObject({ ok: true });

    const refused = await callAction(admin, action("revealValueAction"), ["demo", { variableId: "nope" }], {
      params: { org: "demo" },
    });
    expect(refused.result).toMatchObject({ ok: false, error: { code: "validation" } });

    const signedOut = await callAction(HttpSession.anonymous(), action("verifyAuditAction"), ["demo"], {
      params: { org: "demo" },
    });
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toMatch(/\/login/);
  });
});
