import { beforeAll, describe, expect, it } from "vitest";
import { login } from "@/server/auth/auth";
import { db, makeOrg, PASSWORD, rawSql, type TestOrg } from "./support";

let a: TestOrg;
let b: TestOrg;
let aEmail: string;
let bEmail: string;

/** Runs statements as the app role, in one transaction with the given request context. */
async function asApp<T>(
  ctx: { userId?: string; organizationId?: string },
  fn: (q: ReturnType<typeof rawSql>) => Promise<T>,
): Promise<T> {
  const app = rawSql("app");
  try {
    return (await app.begin(async (tx) => {
      await tx`select set_config('app.user_id', ${ctx.userId ?? ""}, true),
                      set_config('app.organization_id', ${ctx.organizationId ?? ""}, true)`;
      return fn(tx as unknown as ReturnType<typeof rawSql>);
    })) as T;
  } finally {
    await app.end();
  }
}

const refused = async (statement: (q: ReturnType<typeof rawSql>) => Promise<unknown>) => {
  const error = await asApp({ userId: a.owner.userId, organizationId: a.id }, statement).then(
    () => null,
    (e: { code?: string; message?: string }) => e,
  );
  expect(error?.code).toBe("42501");
};

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  const s = rawSql("super");
  [{ email: aEmail }] = await s<{ email: string }[]>`select email from users where id = ${a.owner.userId}`;
  [{ email: bEmail }] = await s<{ email: string }[]>`select email from users where id = ${b.owner.userId}`;
  await s.end();
});

describe("the users table, as the app role", () => {
  it("refuses to read any password hash or TOTP secret, even the caller's own", async () => {
    await refused((q) => q`select password_hash from users where id = ${a.owner.userId}`);
    await refused((q) => q`select totp_secret from users`);
    await refused((q) => q`select * from users`);
    await refused((q) => q`select secret from auth_pepper`);
  });

  it("sees only itself and the members of the organization in its context", async () => {
    const aDev = await a.member("developer");
    const seen = await asApp(
      { userId: a.owner.userId, organizationId: a.id },
      (q) => q`select id from users`,
    );
    expect(seen.map((r) => r.id).sort()).toEqual([a.owner.userId, aDev.userId].sort());
    const alone = await asApp({ userId: a.owner.userId }, (q) => q`select id, email from users`);
    expect(alone).toEqual([{ id: a.owner.userId, email: aEmail }]);
    expect(await asApp({}, (q) => q`select id from users`)).toHaveLength(0);
    const byEmail = await asApp(
      { userId: a.owner.userId, organizationId: a.id },
      (q) => q`select id from users where email = ${bEmail}`,
    );
    expect(byEmail).toHaveLength(0);
  });

  it("cannot change another user's row, nor anyone's password hash or email", async () => {
    const changed = await asApp(
      { userId: a.owner.userId, organizationId: a.id },
      (q) => q`update users set name = 'Mallory' where id = ${b.owner.userId} returning id`,
    );
    expect(changed).toHaveLength(0);
    await refused((q) => q`update users set password_hash = 'x' where id = ${a.owner.userId}`);
    await refused((q) => q`update users set email = 'x@evil.example' where id = ${a.owner.userId}`);
    await refused((q) => q`delete from users where id = ${b.owner.userId}`);
    const s = rawSql("super");
    const [row] = await s<{ name: string }[]>`select name from users where id = ${b.owner.userId}`;
    await s.end();
    expect(row.name).toBe("Owner");
    expect((await login(db(), { email: bEmail, password: PASSWORD, ip: "198.51.100.99" })).ok).toBe(true);
  });

  it("gets salts but never a hash from the sign-in functions, for known and unknown emails alike", async () => {
    const [known] = await asApp({}, (q) => q`select prefix, digest_chars from password_params(${aEmail})`);
    const [unknown] = await asApp(
      {},
      (q) => q`select prefix, digest_chars from password_params('nobody@test.example')`,
    );
    const [again] = await asApp({}, (q) => q`select prefix from password_params('nobody@test.example')`);
    for (const row of [known, unknown]) {
      expect(row.prefix).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}$/);
      expect(row.digest_chars).toBe(43);
    }
    expect(again.prefix).toBe(unknown.prefix);
    const s = rawSql("super");
    const [{ password_hash }] = await s<
      { password_hash: string }[]
    >`select password_hash from users where id = ${a.owner.userId}`;
    await s.end();
    expect(password_hash.startsWith(known.prefix)).toBe(true);
    const digest = password_hash.slice(known.prefix.length + 1);
    expect(await asApp({}, (q) => q`select * from password_check(${aEmail}, ${known.prefix})`)).toHaveLength(
      0,
    );
    const everything = JSON.stringify(
      await asApp({}, (q) => q`select * from password_params(${aEmail}), password_check(${aEmail}, 'x')`),
    );
    expect(everything).not.toContain(digest);
  });
});
