/**
 * `ringbearer set` and `ringbearer diff` against the production build: a value set through the console's gate
 * (its version taken from the variable's metadata, a CRITICAL production change left to a reviewer, a read token
 * refused), from an argument or from stdin; two environments compared by name, values only when asked.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, productionSecret, type TestOrg } from "../db/support";
import { cli } from "./cli-process";

/** Staging and production values of the organization under test (absent: no value there). */
const VALUES: Record<string, { staging?: string; production?: string }> = {
  SAME_URL: { staging: "https://same.example", production: "https://same.example" },
  API_BASE: { staging: "https://staging-api.example", production: "https://live-api.example" },
  STAGING_ONLY: { staging: "staging-only-value" },
  PRODUCTION_ONLY: { production: "production-only-value" },
  TO_SET: {},
};

describe("ringbearer set and diff", () => {
  let org: TestOrg;
  let writer: Record<string, string>;
  let reader: Record<string, string>;
  const critical = "PAYMENTS_SECRET";

  beforeAll(async () => {
    org = await makeOrg();
    for (const [name, byEnv] of Object.entries(VALUES)) {
      const v = await withContext(org.owner, (tx) =>
        createVariable(tx, org.owner, {
          name,
          variableType: "configuration",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        }),
      );
      for (const [env, value] of Object.entries(byEnv))
        await approveAs(
          org,
          await withContext(org.owner, (tx) =>
            setValue(tx, org.owner, {
              variableId: v.id,
              environmentId: org.env[env as "staging" | "production"],
              value,
              expectedVersion: 0,
              note: "Seeding the CLI test",
            }),
          ),
        );
    }
    await productionSecret(org, {
      name: critical,
      classification: "wedding_day_critical",
      value: "sk_live_before",
      note: "Seeding the CLI test",
    });
    const tokenFor = async (access: string) => {
      const { token } = await withContext(org.owner, (tx) =>
        createServiceToken(
          tx,
          org.owner,
          serviceTokenInput.parse({ name: access, environments: ["staging", "production"], access }),
        ),
      );
      return { RINGBEARER_URL: inject("baseUrl"), RINGBEARER_TOKEN: token };
    };
    writer = await tokenFor("read-write");
    reader = await tokenFor("read");
  }, 120_000);

  it("lists the keys that differ by name, and their values only when asked", async () => {
    const diff = await cli(["diff", "--env", "staging", "--env", "production"], reader);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toBe(
      [
        "~ API_BASE\tdiffers",
        `+ ${critical}\tonly in production`,
        "+ PRODUCTION_ONLY\tonly in production",
        "- STAGING_ONLY\tonly in staging",
        "",
      ].join("\n"),
    );
    expect(diff.stderr).toBe("4 of 5 keys differ\n");
    for (const value of ["staging-api", "live-api", "only-value", "sk_live"])
      expect(diff.stdout).not.toContain(value);

    const gate = await cli(["diff", "-e", "staging", "-e", "production", "--exit-code"], reader);
    expect(gate.code).toBe(2);
    const shown = await cli(["diff", "-e", "staging", "-e", "production", "--show-values"], reader);
    expect(shown.stdout).toContain(
      '~ API_BASE\tdiffers\t"https://staging-api.example" → "https://live-api.example"',
    );
    const same = await cli(["diff", "-e", "staging", "-e", "staging", "--exit-code"], reader);
    expect([same.code, same.stdout, same.stderr]).toEqual([
      0,
      "",
      "staging and staging: the same 3 keys and values\n",
    ]);
    const one = await cli(["diff", "-e", "staging"], reader);
    expect([one.code, one.stderr]).toEqual([
      1,
      "ringbearer: Name two environments: --env staging --env production\n",
    ]);
  });

  it("sets a value from an argument or from stdin, each time on the version it read", async () => {
    const first = await cli(["set", "TO_SET=first value", "--env", "staging"], writer);
    expect([first.code, first.stdout], first.stderr).toEqual([0, "TO_SET set in staging (version 1)\n"]);
    const piped = await cli(
      ["set", "TO_SET", "--env", "staging"],
      writer,
      undefined,
      "from stdin=with equals\n",
    );
    expect([piped.code, piped.stdout], piped.stderr).toEqual([0, "TO_SET set in staging (version 2)\n"]);
    const read = await cli(["get", "TO_SET", "--env", "staging"], reader);
    expect(read.stdout).toBe("from stdin=with equals\n");
    // Another variable's value in the same environment is untouched.
    expect((await cli(["get", "API_BASE", "-e", "staging"], reader)).stdout).toBe(
      "https://staging-api.example\n",
    );
  });

  it("leaves a CRITICAL production change to a reviewer, and refuses a read token and an unknown key", async () => {
    const critical_ = await cli(
      ["set", `${critical}=sk_live_after`, "-e", "production", "-m", "Rotating the key"],
      writer,
    );
    expect(critical_.code, critical_.stderr).toBe(0);
    expect(critical_.stdout).toMatch(
      new RegExp(
        `^${critical}: a CRITICAL change in production; it waits for a reviewer: http://.*/o/${org.slug}/approvals#request-`,
      ),
    );
    expect(critical_.stdout).not.toContain("sk_live");
    expect((await cli(["get", critical, "-e", "production"], reader)).stdout).toBe("sk_live_before\n");

    const readOnly = await cli(["set", "TO_SET=nope", "-e", "staging"], reader);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/\(forbidden\)/);
    const unknown = await cli(["set", "NO_SUCH_KEY=x", "-e", "staging"], writer);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NO_SUCH_KEY is not a variable this token may reach/);
    const missing = await cli(["get", "STAGING_ONLY", "-e", "production"], reader);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      "ringbearer: STAGING_ONLY has no value in production that this token may read\n",
    ]);
  });
});
