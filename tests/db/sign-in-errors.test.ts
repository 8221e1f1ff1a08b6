import { describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { authorizeCredentials } from "@/server/auth/sign-in";
import { createUser } from "@/server/auth/users";
import { db, PASSWORD, unique } from "./support";

const ip = () => `198.18.200.${Math.floor(Math.random() * 250)}`;

describe("sign-in answers (next-auth's authorize)", () => {
  it("answers malformed input with `invalid` before it reaches the database", async () => {
    for (const email of ["a\u0000b@test.example", "x".repeat(400), "\ud800@test.example", ""]) {
      expect(await authorizeCredentials(db(), { email, password: "whatever" }, { ip: ip() })).toEqual({
        ok: false,
        code: "invalid",
      });
    }
    expect(await authorizeCredentials(db(), { email: "a@test.example", password: "p\u0000" }, {})).toEqual({
      ok: false,
      code: "invalid",
    });
    expect(
      await authorizeCredentials(db(), { email: "a@test.example", password: "x".repeat(1025) }, {}),
    ).toEqual({
      ok: false,
      code: "invalid",
    });
    expect(await authorizeCredentials(db(), undefined, {})).toEqual({ ok: false, code: "invalid" });
  });

  it("answers `unavailable` when the database does not answer, with no driver text anywhere", async () => {
    const dead = createDb("postgres://ringbearer_app:x@127.0.0.1:1/none", { max: 1 });
    try {
      const answer = await authorizeCredentials(
        dead,
        { email: "a@test.example", password: "long enough" },
        {},
      );
      expect(answer).toEqual({ ok: false, code: "unavailable" });
    } finally {
      await dead.$client.end({ timeout: 1 });
    }
  });

  it("signs in with the right password and names the user", async () => {
    const email = `${unique("ok")}@test.example`;
    const user = await createUser(db(), { email, name: "Okay", password: PASSWORD });
    const answer = await authorizeCredentials(
      db(),
      { email: ` ${email.toUpperCase()} `, password: PASSWORD },
      { ip: ip() },
    );
    expect(answer).toMatchObject({ ok: true, user: { id: user.id, email, name: "Okay" } });
    expect(await authorizeCredentials(db(), { email, password: "not it at all" }, { ip: ip() })).toEqual({
      ok: false,
      code: "invalid",
    });
  });
});
