import { expect, type Locator, type Page, test } from "@playwright/test";
import { asUser, ORG, openMenu, openVariable, valueRow } from "./support";

const request = (scope: Page | Locator, reason: string) =>
  scope.getByRole("article", { name: /Change request: Change in production by dev@demo\.test/ }).filter({
    hasText: reason,
  });

async function propose(page: Page, value: string, reason: string) {
  const production = valueRow(page, "production");
  await production.getByRole("button", { name: "Edit production value" }).click();
  await page.getByLabel("New production value").fill(value);
  await page.getByLabel("Reason for the reviewer").fill(reason);
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect(production.getByRole("status")).toContainText("Sent for approval (CRITICAL risk)");
}

test(
  "a developer's production change waits for a reviewer, who approves it; a stale one is not applied",
  {
    tag: "@phone",
  },
  async ({ browser }, testInfo) => {
    test.setTimeout(120_000); // four people in four browsers
    // The phone run meets the desktop run's decided requests: its reasons are its own.
    const run = testInfo.project.use.isMobile ? " (phone)" : "";
    const first = `Resend rotated our API key after the incident${run}`;
    const second = `Alternative key in case the first one fails${run}`;
    // …and so are the values: approving the value production already holds writes nothing (a no-op).
    const rotated = `re_prod_rotated_e2e${run ? "_phone" : ""}`;
    const alternative = `re_prod_alternative_e2e${run ? "_phone" : ""}`;
    const reviewer = await asUser(browser, "reviewer@demo.test");
    const dev = await asUser(browser, "dev@demo.test");

    // The developer cannot write production, but may propose: the change needs a reason, then waits.
    await openVariable(dev.page, "RESEND_API_KEY");
    const production = valueRow(dev.page, "production");
    const before = Number((await production.textContent())?.match(/v(\d+)/)?.[1]);
    const applied = `v${before + 1}`;
    await expect(production).toContainText("Changes here need a reviewer's approval (CRITICAL risk)");
    await expect(production.getByRole("button", { name: /Reveal/ })).toHaveCount(0);
    await production.getByRole("button", { name: "Edit production value" }).click();
    await dev.page.getByLabel("New production value").fill(rotated);
    await dev.page.getByRole("button", { name: "Request approval" }).click();
    await expect(dev.page.getByText(/say why in at least 10 characters/)).toBeVisible();
    await expect(dev.page.getByLabel("New production value")).toHaveValue(rotated);
    await dev.page.getByLabel("Reason for the reviewer").fill(first);
    await dev.page.getByRole("button", { name: "Request approval" }).click();
    await expect(production.getByRole("status")).toContainText("Sent for approval (CRITICAL risk)");
    await expect(production).toContainText("Change by dev@demo.test waits for approval (CRITICAL)");
    await propose(dev.page, alternative, second);

    // The reviewer's badge updates live, without a reload (on a phone, in the menu).
    await openMenu(reviewer.page);
    await expect(reviewer.page.getByRole("status", { name: "2 change requests to approve" })).toBeVisible();

    // The developer sees their requests, and no way to approve them.
    await dev.page.goto(`/o/${ORG}/approvals`);
    await expect(request(dev.page, first)).toContainText("Your request: another reviewer decides it.");
    await expect(dev.page.getByRole("button", { name: "Approve and apply" })).toHaveCount(0);

    await reviewer.page.goto(`/o/${ORG}/approvals`);
    await expect(reviewer.page.getByRole("heading", { name: "Change requests waiting (2)" })).toBeVisible();
    const card = request(reviewer.page, first);
    await expect(card).toContainText("CRITICAL");
    await expect(card).toContainText("RESEND_API_KEY");
    // A security reviewer reads no values (review finding 5), so cannot reveal a proposal either; someone who
    // may read production's values can, through the same audited reveal.
    await expect(card.getByRole("button", { name: "Reveal proposed RESEND_API_KEY" })).toHaveCount(0);
    const admin = await asUser(browser, "admin@demo.test");
    await admin.page.goto(`/o/${ORG}/approvals`);
    const adminCard = request(admin.page, first);
    await adminCard.getByRole("button", { name: "Reveal proposed RESEND_API_KEY" }).click();
    await expect(adminCard.getByTestId("proposed-RESEND_API_KEY")).toHaveText(rotated);

    // A forged approval with the developer's session is refused: capture the reviewer's real request first.
    const approvals = `**/o/${ORG}/approvals`;
    const captured = new Promise<{ url: string; headers: Record<string, string>; body: Buffer }>((resolve) =>
      reviewer.page.route(approvals, async (route) => {
        const r = route.request();
        if (r.method() !== "POST") return route.continue();
        resolve({
          url: r.url(),
          headers: {
            "next-action": r.headers()["next-action"],
            "content-type": r.headers()["content-type"] ?? "",
            accept: "text/x-component",
          },
          body: r.postDataBuffer() ?? Buffer.alloc(0),
        });
        return route.abort();
      }),
    );
    await card.getByLabel("Approval note").fill("Verified the key in the Resend dashboard");
    await card.getByRole("button", { name: "Approve and apply" }).click();
    const forged = await captured;
    await reviewer.page.unroute(approvals);
    const replay = await dev.page.request.post(forged.url, { headers: forged.headers, data: forged.body });
    expect(replay.status()).toBeLessThan(500);
    expect(await replay.text()).toContain("forbidden");

    await reviewer.page.reload();
    const again = request(reviewer.page, first);
    await again.getByLabel("Approval note").fill("Verified the key in the Resend dashboard");
    await again.getByRole("button", { name: "Approve and apply" }).click();
    const decided = reviewer.page.getByRole("region", { name: "Recently decided" });
    await expect(request(decided, first)).toContainText("approved by reviewer@demo.test");

    // The value changed: the admin reveals it.
    await openVariable(admin.page, "RESEND_API_KEY");
    await expect(valueRow(admin.page, "production")).toContainText(applied);
    await valueRow(admin.page, "production").getByRole("button", { name: "Reveal production value" }).click();
    await expect(admin.page.getByTestId("revealed-production")).toHaveText(rotated);

    // The second request was based on the version before: it cannot be applied any more.
    await reviewer.page.goto(`/o/${ORG}/approvals`);
    const stale = request(reviewer.page, second);
    await expect(stale.getByText("moved")).toBeVisible();
    await stale.getByRole("button", { name: "Approve and apply" }).click();
    await expect(request(decided, second)).toContainText("Not applied: a value it was based on changed");
    await expect(reviewer.page.getByRole("heading", { name: "Change requests waiting (0)" })).toBeVisible();
    await valueRow(admin.page, "production").getByRole("button", { name: "Hide production value" }).click();
    await admin.page.reload();
    await expect(valueRow(admin.page, "production")).toContainText(applied);

    // The requester sees both outcomes.
    await dev.page.reload();
    await expect(request(dev.page, first)).toContainText("approved by reviewer@demo.test");
    await expect(request(dev.page, first)).toContainText("Verified the key in the Resend dashboard");
    await expect(request(dev.page, second).getByText("stale", { exact: true })).toBeVisible();
    for (const u of [reviewer, dev, admin]) await u.context.close();
  },
);
