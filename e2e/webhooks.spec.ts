import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { asUser, navigate, ORG } from "./support";

/** A receiver on loopback that keeps what it gets (headers and body). */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => server.close() };
}

test("an admin adds a webhook endpoint (secret shown once), sends a test event, sees it in the delivery log and replays it", async ({
  browser,
}) => {
  const hooks = await receiver();
  const { page, context } = await asUser(browser, "admin@demo.test");
  try {
    await page.goto(`/o/${ORG}`);
    await navigate(page, "Webhooks");
    const form = page.getByRole("form", { name: "Add endpoint" });
    await form.getByLabel("URL").fill(hooks.url);
    // No event chosen: told at the field, nothing added.
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "Choose at least one event" })).toBeVisible();
    await form.getByRole("checkbox", { name: "value.changed" }).check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page
      .getByRole("region", { name: "Endpoint added" })
      .getByLabel("Signing secret")
      .inputValue();
    expect(secret).toMatch(/^whsec_/);

    const endpoint = page.getByRole("article", { name: `Endpoint ${hooks.url}` });
    await endpoint.getByRole("button", { name: `Send test event to ${hooks.url}` }).click();
    const log = endpoint.getByRole("table", { name: `Deliveries to ${hooks.url}` });
    await expect(log.getByRole("row").filter({ hasText: "webhook.test" })).toContainText("delivered");
    await expect(log).toContainText("204");
    // What arrived is signed with that secret (Standard Webhooks), and names no value.
    const [first] = hooks.got;
    const key = Buffer.from(secret.replace("whsec_", ""), "base64");
    const signed = `${first.headers["webhook-id"]}.${first.headers["webhook-timestamp"]}.${first.body}`;
    expect(first.headers["webhook-signature"]).toBe(
      `v1,${createHmac("sha256", key).update(signed).digest("base64")}`,
    );
    expect(JSON.parse(first.body).type).toBe("webhook.test");

    await log
      .getByRole("button", { name: /^Replay webhook\.test/ })
      .first()
      .click();
    const replayed = log.getByRole("row").filter({ has: page.getByText("replay", { exact: true }) });
    await expect(replayed).toContainText("delivered");
    expect(hooks.got).toHaveLength(2);
    expect(hooks.got[1].headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    // Off again: the receiver goes away with the test.
    await endpoint.getByRole("button", { name: `Disable ${hooks.url}` }).click();
    await expect(endpoint.getByText("disabled", { exact: true })).toBeVisible();
  } finally {
    hooks.close();
    await context.close();
  }
});
