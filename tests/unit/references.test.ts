import { describe, expect, it } from "vitest";
import {
  addressText,
  createResolver,
  type Known,
  MAX_REFERENCE_DEPTH,
  referencesIn,
  substitute,
  UnresolvableReference,
  type ValueAddress,
} from "@/lib/references";

const values = (map: Record<string, Known>) =>
  createResolver((a: ValueAddress) => map[addressText(a)] ?? "missing");
const at = (environment: string, key: string) => ({ environment, key });

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof UnresolvableReference) return { kind: error.problem.kind, message: error.message };
    throw error;
  }
  throw new Error("it resolved");
}

describe("references in a value", () => {
  it("finds ${KEY} and ${env.KEY} with the console's name rules, and nothing else", () => {
    expect(referencesIn("postgres://${DB_USER}:${production.DB_PASSWORD}@db/${DB_NAME}")).toEqual([
      { environment: null, key: "DB_USER" },
      { environment: "production", key: "DB_PASSWORD" },
      { environment: null, key: "DB_NAME" },
    ]);
    // Not references: lower-case keys, a capitalised environment, empty, unclosed, $KEY, and the escape $${…}.
    for (const value of ["${home}", "${Prod.KEY}", "${}", "${KEY", "$KEY", "$${KEY}", "plain", "${env.}"])
      expect(referencesIn(value), value).toEqual([]);
  });

  it("substitutes each reference and turns $${ into a literal ${", () => {
    expect(
      substitute("a=${A} b=${staging.B} $${A} $$ $HOME", (t) => `<${t.environment ?? "-"}:${t.key}>`),
    ).toBe("a=<-:A> b=<staging:B> ${A} $$ $HOME");
  });
});

describe("resolving", () => {
  it("follows references across environments, each value once, the same environment by default", () => {
    const resolve = values({
      "staging.URL": { value: "https://${HOST}/v1?key=${production.KEY}" },
      "staging.HOST": { value: "${BASE}.example" },
      "staging.BASE": { value: "api" },
      "production.KEY": { value: "k-${REGION}" },
      "production.REGION": { value: "eu" },
    });
    expect(resolve(at("staging", "URL"))).toBe("https://api.example/v1?key=k-eu");
  });

  it("refuses a circle, naming the way round", () => {
    const resolve = values({
      "staging.A": { value: "${B}" },
      "staging.B": { value: "${production.C}" },
      "production.C": { value: "${staging.A}" },
    });
    expect(problemOf(() => resolve(at("staging", "A")))).toEqual({
      kind: "cycle",
      message: "References go round in a circle: staging.A → staging.B → production.C → staging.A",
    });
    expect(
      problemOf(() => values({ "staging.SELF": { value: "x${SELF}" } })(at("staging", "SELF"))).kind,
    ).toBe("cycle");
  });

  it(`allows ${MAX_REFERENCE_DEPTH} steps and refuses the eleventh`, () => {
    const chain = (steps: number) => {
      const map: Record<string, Known> = {};
      for (let i = 0; i < steps; i++) map[`staging.K${i}`] = { value: `\${K${i + 1}}` };
      map[`staging.K${steps}`] = { value: "end" };
      return values(map);
    };
    expect(chain(MAX_REFERENCE_DEPTH)(at("staging", "K0"))).toBe("end");
    expect(problemOf(() => chain(MAX_REFERENCE_DEPTH + 1)(at("staging", "K0")))).toMatchObject({
      kind: "too_deep",
      message: expect.stringMatching(/^References go more than 10 deep: staging\.K0 → /),
    });
  });

  it("says which value is missing or may not be read, never a value", () => {
    const resolve = values({
      "staging.A": { value: "secret-a ${B}" },
      "staging.B": { value: "secret-b ${production.HIDDEN}" },
      "production.HIDDEN": "forbidden",
      "staging.C": { value: "${GONE}" },
    });
    const forbidden = problemOf(() => resolve(at("staging", "A")));
    expect(forbidden).toEqual({
      kind: "forbidden",
      message: "staging.A → staging.B refers to production.HIDDEN, which you may not read",
    });
    expect(problemOf(() => resolve(at("staging", "C")))).toEqual({
      kind: "missing",
      message: "staging.C refers to staging.GONE, which has no value",
    });
    expect(forbidden.message).not.toContain("secret");
  });
});
