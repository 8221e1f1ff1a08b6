/**
 * The sealed values export over HTTP, as Settings → Export sends it: an owner signed in just now gets the file as
 * an attachment, sealed (no value in it); a passphrase too short is a field error; a member who is no owner or
 * admin is refused; without a recent sign-in it asks for one; the eleventh try within the hour is refused.
 */
import { and, eq } from "drizzle-orm";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environments } from "@/db/schema";
import { createUser } from "@/server/auth/users";
import { addMember, createOrganization } from "@/server/organizations/organizations";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { db, PASSWORD, rawSql, unique } from "../db/support";
import { HttpSession } from "./session";

const SECRET = "sk_live_sealedoverhttp0001";
let superSql: postgres.Sql;
let owner: HttpSession;
let ownerId: string;
let developer: HttpSession;
let slug: string;

const exportValues = (session: HttpSession, body: unknown) =>
  session.request(`/api/o/${slug}/export/values`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  superSql = rawSql("super");
  const email = `${unique("exporter")}@test.example`;
  const devEmail = `${unique("dev")}@test.example`;
  ownerId = (await createUser(db(), { email, name: "Exporter", password: PASSWORD })).id;
  const dev = await createUser(db(), { email: devEmail, name: "Dev", password: PASSWORD });
  slug = unique("org");
  const org = await createOrganization(db(), {
    slug,
    name: slug,
    timeZone: "UTC",
    ownerId,
    defaultWindow: false,
  });
  await addMember(db(), ownerId, org.id, dev.id, "developer");
  const ctx = { userId: ownerId, organizationId: org.id, role: "owner" as const };
  await withContext(ctx, async (tx) => {
    const variable = await createVariable(tx, ctx, {
      name: "STRIPE_SECRET_KEY",
      variableType: "api_key",
      securityClassification: "confidential",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    });
    const [env] = await tx
      .select({ id: environments.id })
      .from(environments)
      .where(and(eq(environments.organizationId, org.id), eq(environments.name, "development")));
    await setValue(tx, ctx, {
      variableId: variable.id,
      environmentId: env.id,
      value: SECRET,
      expectedVersion: 0,
    });
  });
  owner = await HttpSession.signIn(email, PASSWORD);
  developer = await HttpSession.signIn(devEmail, PASSWORD);
}, 120_000);

afterAll(() => superSql.end({ timeout: 5 }));

describe("POST /api/o/{org}/export/values", () => {
  it("answers an owner signed in just now with the sealed file; refuses others and short passphrases", async () => {
    const answer = await exportValues(owner, { passphrase: "a passphrase long enough" });
    expect(answer.status, answer.body).toBe(200);
    expect(answer.headers.get("content-disposition")).toMatch(
      new RegExp(`attachment; filename="ringbearer-${slug}-values-\\d{4}-\\d{2}-\\d{2}\\.sealed\\.json"`),
    );
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(JSON.parse(answer.body)).toMatchObject({
      format: "ringbearer.sealed-export/1",
      cipher: "aes-256-gcm",
    });
    expect(answer.body).not.toContain(SECRET);

    const short = await exportValues(owner, { passphrase: "too short" });
    expect(short.status).toBe(422);
    expect(JSON.parse(short.body).fieldErrors.passphrase[0]).toMatch(/At least 12 characters/);
    expect((await exportValues(developer, { passphrase: "a passphrase long enough" })).status).toBe(403);
  });

  it("asks for a recent sign-in, and refuses the eleventh try within the hour", async () => {
    // The owner signed in more than five minutes ago.
    await superSql`update sessions set verified_at = now() - interval '10 minutes' where user_id = ${ownerId}`;
    const stale = await exportValues(owner, { passphrase: "a passphrase long enough" });
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.body).error.code).toBe("reauth_required");
    // The first test's one try (the refused ones never reached the limit) and this one: eight more, then it.
    for (let i = 0; i < 8; i++) await exportValues(owner, { passphrase: "a passphrase long enough" });
    const limited = await exportValues(owner, { passphrase: "a passphrase long enough" });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe("rate_limited");
  });
});
