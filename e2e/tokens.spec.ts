import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { asUser, navigate, ORG } from "./support";

test("an admin creates a service token (shown once), a pipeline reads staging with it, and the admin revokes it", async ({
  browser,
  request,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}`);
  await navigate(page, "Tokens");
  await expect(page.getByRole("heading", { level: 1, name: "Tokens" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Name", { exact: true }).fill("staging deploys (e2e)");
  // No environment chosen: told at the field, nothing created.
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Choose at least one environment" })).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("staging deploys (e2e)");
  await form.getByRole("checkbox", { name: "staging" }).check();
  await form.getByLabel("Expires in (days)").fill("7");
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("region", { name: "Token created" });
  await expect(shown).toContainText("read on staging");
  await expect(shown).toContainText("shown only once");
  const token = await shown.getByLabel("Service token").inputValue();
  expect(token).toMatch(/^rb_st_[0-9A-Za-z]{38}$/);

  // What a deploy pipeline does with it: the CLI, and the API.
  const baseURL = test.info().project.use.baseURL as string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["cli/ringbearer.mjs", ...args], {
      encoding: "utf8",
      env: { ...process.env, RINGBEARER_URL: baseURL, RINGBEARER_TOKEN: token },
    });
  const exported = cli("export", "--env", "staging", "--format", "json");
  expect(exported.status, exported.stderr).toBe(0);
  expect(JSON.parse(exported.stdout).RESEND_API_KEY).toBe("re_stg_8b7d6e5f");
  const read = () =>
    request.get("/api/v1/environments/staging/values", {
      headers: { authorization: `Bearer ${token}` },
    });
  const production = await request.get("/api/v1/environments/production/values", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(production.status()).toBe(403);

  // Listed by its hint and its use, never shown again.
  await page.reload();
  const row = page
    .getByRole("table", { name: "Service tokens" })
    .getByRole("row")
    .filter({ hasText: "staging deploys (e2e)" });
  await expect(row).toContainText(`${token.slice(0, 10)}…`);
  await expect(row).toContainText("1 use");
  await expect(row).toContainText("live");
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke the token staging deploys (e2e)" }).click();
  await expect(row).toContainText("revoked");
  const after = await read();
  expect(after.status()).toBe(401);
  expect((await after.json()).code).toBe("token_revoked");
  const refused = cli("run", "--env", "staging", "--", process.execPath, "-e", "console.log('started')");
  expect(refused.status).toBe(1);
  expect(refused.stdout).toBe("");
  expect(refused.stderr).toContain("(token_revoked)");
  await context.close();
});

test("a developer sees no service tokens, signs the CLI in with a code, and revokes that login", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "dev@demo.test");
  await page.goto(`/o/${ORG}/tokens`);
  await expect(page.getByText("Only owners and admins see and manage service tokens.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Create token" })).toHaveCount(0);

  // `ringbearer login` on a build machine shows a code; the developer approves it in the console.
  const env = {
    ...process.env,
    RINGBEARER_URL: test.info().project.use.baseURL as string,
    RINGBEARER_TOKEN: "",
    RINGBEARER_CONFIG_DIR: mkdtempSync(join(tmpdir(), "rb-e2e-login-")),
  };
  const login = spawn(process.execPath, ["cli/ringbearer.mjs", "login", "--name", "e2e-box"], { env });
  let stderr = "";
  const code = await new Promise<string>((resolve) =>
    login.stderr.on("data", (d: Buffer) => {
      stderr += d;
      const m = /code ([A-Z]{4}-[A-Z]{4})/.exec(stderr);
      if (m) resolve(m[1]);
    }),
  );
  const exited = new Promise<number | null>((resolve) => login.on("exit", resolve));
  await page.goto(`/cli-login?code=${code}`);
  await expect(page.getByRole("heading", { level: 2, name: `Code ${code}` })).toBeVisible();
  await expect(page.getByText("e2e-box")).toBeVisible();
  const form = page.getByRole("form", { name: "Approve CLI login" });
  await form.getByRole("checkbox", { name: "staging" }).check();
  await form.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("Approved. e2e-box receives its token");
  expect(await exited, stderr).toBe(0);
  const whoami = () =>
    spawnSync(process.execPath, ["cli/ringbearer.mjs", "whoami"], { encoding: "utf8", env });
  expect(whoami().stdout).toContain("environments staging\naccess read");

  await page.goto(`/o/${ORG}/tokens`);
  const mine = page
    .getByRole("table", { name: "Your CLI logins" })
    .getByRole("row")
    .filter({ hasText: "e2e-box" });
  await mine.getByRole("button", { name: "Revoke the token CLI: e2e-box" }).click();
  await expect(page.getByRole("table", { name: "Your CLI logins" })).toHaveCount(0);
  expect(whoami().stderr).toContain("(token_revoked)");
  await context.close();
});
