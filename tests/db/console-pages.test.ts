import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import type { Member } from "@/server/session";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { renderServer } from "./page-render";
import { makeOrg, type TestOrg } from "./support";

// The session is resolved by next-auth and request headers, which a page render outside Next does not have:
// pages get the member straight away, so what is counted is the page's (or the layout's) own reads.
const session = vi.hoisted(() => ({ member: null as unknown as Member }));
vi.mock("@/server/session", async (original) => ({
  ...(await original<typeof import("@/server/session")>()),
  currentUser: async () => session.member.user,
  memberContext: async () => session.member,
  requireMember: async () => session.member,
}));

type Render = (props: {
  params: Promise<Record<string, string>>;
  searchParams: Promise<Record<string, string>>;
  children?: null;
}) => Promise<unknown>;

/**
 * Each console page (and the layout around them), with the most transactions it may open to render.
 * Before the pages' reads shared a transaction (db/context.ts withReads), drift took 9, the layout 4.
 */
const PAGES: [string, () => Promise<{ default: unknown }>, number][] = [
  ["layout", () => import("@/app/(console)/o/[org]/layout"), 1],
  ["dashboard", () => import("@/app/(console)/o/[org]/page"), 1],
  ["variables", () => import("@/app/(console)/o/[org]/variables/page"), 1],
  ["variables/new", () => import("@/app/(console)/o/[org]/variables/new/page"), 1],
  ["variables/[id]", () => import("@/app/(console)/o/[org]/variables/[id]/page"), 1],
  ["matrix", () => import("@/app/(console)/o/[org]/matrix/page"), 1],
  ["compare", () => import("@/app/(console)/o/[org]/compare/page"), 2],
  ["drift", () => import("@/app/(console)/o/[org]/drift/page"), 1],
  ["environments", () => import("@/app/(console)/o/[org]/environments/page"), 1],
  ["environments/[id]", () => import("@/app/(console)/o/[org]/environments/[id]/page"), 1],
  ["environments/[id]/dotenv", () => import("@/app/(console)/o/[org]/environments/[id]/dotenv/page"), 1],
  ["approvals", () => import("@/app/(console)/o/[org]/approvals/page"), 1],
  ["access", () => import("@/app/(console)/o/[org]/access/page"), 1],
  ["audit", () => import("@/app/(console)/o/[org]/audit/page"), 1],
  ["emergency", () => import("@/app/(console)/o/[org]/emergency/page"), 1],
  ["settings", () => import("@/app/(console)/o/[org]/settings/page"), 1],
  ["account", () => import("@/app/(console)/o/[org]/account/page"), 2],
];

let params: Record<string, string>;
let owner: Member;
const counts: Record<string, number> = {};

beforeAll(async () => {
  const org = await makeOrg();
  const variable = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name: "STRIPE_SECRET_KEY",
      variableType: "api_key",
      securityClassification: "confidential",
      isRequired: true,
      isWeddingCritical: false,
      tags: ["payments"],
    }),
  );
  await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: variable.id,
      environmentId: org.env.staging,
      value: "sk_test_pages",
      expectedVersion: 0,
    }),
  );
  owner = memberOf(org, org.owner);
  params = { org: org.slug, id: variable.id, environment: org.env.development };
});

/** What requireMember would resolve for this member of the organization. */
function memberOf(org: TestOrg, ctx: TenantContext): Member {
  const sessionId = randomUUID();
  return {
    ...ctx,
    sessionId,
    user: { id: ctx.userId, name: ctx.role, email: `${ctx.role}@test.example`, sessionId },
    org: { slug: org.slug, name: org.slug, timeZone: "UTC" },
    emergency: null,
  };
}

afterAll(() => {
  // The per-page figures, for the record (docs and the change's description quote them).
  console.info(
    Object.entries(counts)
      .map(([page, n]) => `${page}: ${n}`)
      .join("\n"),
  );
});

/**
 * How many transactions `run` opens on the app's pool. Everything the pool itself sends goes through its
 * `unsafe`: a transaction's BEGIN (its statements then go to the reserved connection) and each statement
 * sent outside a transaction (autocommit, a transaction of its own).
 */
async function transactionsOf(run: () => Promise<unknown>) {
  const sent = vi.spyOn(getDb().$client, "unsafe");
  try {
    await run();
    return sent.mock.calls.length;
  } finally {
    sent.mockRestore();
  }
}

describe("rendering a console page", () => {
  it.each(PAGES)("%s opens at most the transactions allowed", async (name, load, most) => {
    session.member = owner;
    const render = (await load()).default as Render;
    // The environment pages take an environment's id, the variable page a variable's.
    const id = name.startsWith("environments/") ? params.environment : params.id;
    const props = {
      params: Promise.resolve({ org: params.org, id }),
      searchParams: Promise.resolve({}),
      children: null,
    };
    const n = await transactionsOf(() => renderServer(render(props)));
    counts[name] = n;
    expect(n).toBeLessThanOrEqual(most);
  });
});

describe("the variables list", () => {
  it("pages through more than 500 variables, saying which rows it shows", async () => {
    const org = await makeOrg();
    // 650 variables in one statement (BULK_0001…BULK_0650): the list used to stop at 500 without a word.
    await withContext(org.owner, (tx) =>
      tx.execute(sql`insert into environment_variables
          (organization_id, name, variable_type, security_classification, created_by)
        select ${org.id}, 'BULK_' || lpad(n::text, 4, '0'), 'configuration', 'internal', ${org.owner.userId}
        from generate_series(1, 650) n`),
    );
    session.member = memberOf(org, org.owner);
    const render = (await import("@/app/(console)/o/[org]/variables/page")).default as Render;
    const page = async (searchParams: Record<string, string>) =>
      (
        await renderServer(
          render({ params: Promise.resolve({ org: org.slug }), searchParams: Promise.resolve(searchParams) }),
        )
      ).join("");

    /** The page says which rows it shows, and holds the first and last of them and nothing either side. */
    const expectRows = (text: string, showing: string, shown: string[], notShown: string[]) => {
      expect(text.includes(showing), `says "${showing}"`).toBe(true);
      for (const name of shown) expect(text.includes(name), `shows ${name}`).toBe(true);
      for (const name of notShown) expect(text.includes(name), `does not show ${name}`).toBe(false);
    };
    expectRows(await page({}), "Showing 1–100 of 650 variables", ["BULK_0001", "BULK_0100"], ["BULK_0101"]);
    // The 501st and beyond, which the list used to drop.
    expectRows(
      await page({ page: "6" }),
      "Showing 501–600 of 650 variables",
      ["BULK_0501", "BULK_0600"],
      ["BULK_0500", "BULK_0601"],
    );
    // The last page, also for a page number past the end (an old link after deletions).
    for (const last of ["7", "99"])
      expectRows(
        await page({ page: last }),
        "Showing 601–650 of 650 variables",
        ["BULK_0650"],
        ["BULK_0600"],
      );
    // Filters and paging together: BULK_0500…BULK_0599.
    expectRows(
      await page({ q: "BULK_05", page: "1" }),
      "Showing 1–100 of 100 variables",
      ["BULK_0500", "BULK_0599"],
      ["BULK_0499", "BULK_0600"],
    );
  });
});
