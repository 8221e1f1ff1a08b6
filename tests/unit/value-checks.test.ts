// Longer than 300 lines: one table of cases per value type, each short; splitting would scatter the table.
import { describe, expect, it } from "vitest";
import {
  type CheckInput,
  type CheckStatus,
  checkValue,
  jsonErrorOffset,
  type ValueCheck,
  worstStatus,
} from "@/lib/value-checks";

type Case = [
  name: string,
  input: Partial<CheckInput> & Pick<CheckInput, "value">,
  expected: Partial<ValueCheck>[],
];

const run = (input: Partial<CheckInput> & Pick<CheckInput, "value">) =>
  checkValue({ variableType: "secret", environmentType: "development", ...input });

const db = (value: string): Partial<CheckInput> & Pick<CheckInput, "value"> => ({
  variableType: "database_url",
  value,
});
const key = (value: string, environmentType: CheckInput["environmentType"] = "staging") => ({
  variableType: "api_key" as const,
  value,
  environmentType,
});
const flag = (value: string) => ({ variableType: "feature_flag" as const, value });
const json = (value: string, tags = ["json"]) => ({ variableType: "configuration" as const, value, tags });

const STRIPE_LIVE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const STRIPE_TEST = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const HEX32 = "0123456789abcdef0123456789abcdef";

const cases: Case[] = [
  // database_url
  ["postgres URL", db("postgres://app:hunter2@db.internal:5432/ringbearer"), [{ status: "passed" }]],
  [
    "postgresql URL without port",
    db("postgresql://app@localhost/ringbearer?sslmode=require"),
    [{ status: "passed" }],
  ],
  ["mysql URL", db("mysql://root:pa%40ss@10.0.0.5:3306/shop"), [{ status: "passed" }]],
  ["mariadb URL", db("mariadb://u:p@maria.example.com/db"), [{ status: "passed" }]],
  ["mongodb+srv URL", db("mongodb+srv://u:p@cluster0.abcde.mongodb.net/app"), [{ status: "passed" }]],
  [
    "mongodb seed list",
    db("mongodb://u:p@m1.example.com:27017,m2.example.com:27017/app?replicaSet=rs0"),
    [{ status: "passed" }],
  ],
  ["redis URL", db("redis://:s3cretpw@cache.internal:6379/0"), [{ status: "passed" }]],
  ["rediss URL", db("rediss://default:s3cretpw@cache.example.com:6380"), [{ status: "passed" }]],
  ["IPv6 host", db("postgres://u:p@[::1]:5432/db"), [{ status: "passed" }]],
  ["sqlite file path", db("sqlite:///var/data/app.sqlite3"), [{ status: "passed" }]],
  ["sqlite relative path", db("sqlite:./data/app.db"), [{ status: "passed" }]],
  [
    "not a URL",
    db("just-some-database-words"),
    [{ status: "failed", message: expect.stringMatching(/valid URL/) }],
  ],
  [
    "http URL",
    db("https://db.example.com/x"),
    [{ status: "failed", message: expect.stringMatching(/scheme/) }],
  ],
  ["no host", db("postgres:///ringbearer_db"), [{ status: "failed", message: "Database URL has no host" }]],
  ["bad port", db("postgres://u:p@dbhost:notaport/db"), [{ status: "failed" }]],
  ["bad seed host", db("mongodb://m1.example.com,bad host/app"), [{ status: "failed" }]],
  [
    "surrounding space",
    db(" postgres://u:p@dbhost/db"),
    [{ status: "failed", message: expect.stringMatching(/whitespace/) }],
  ],
  [
    "embedded newline",
    db("postgres://u:p@db\nhost/db"),
    [{ status: "failed", message: expect.stringMatching(/control/) }],
  ],
  ["empty sqlite", db("sqlite:"), [{ status: "failed" }]],
  // api_key
  [
    "stripe live key in staging",
    key(STRIPE_LIVE),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "passed" },
    ],
  ],
  [
    "stripe live key in production",
    key(STRIPE_LIVE, "production"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "passed" },
    ],
  ],
  [
    "stripe test key in production",
    key(STRIPE_TEST, "production"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "warning", message: "Test key in production" },
    ],
  ],
  [
    "restricted test key in disaster recovery",
    key("rk_test_51Habcdefghij0123", "disaster_recovery"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "warning", message: "Test key in production" },
    ],
  ],
  [
    "publishable test key in production",
    key("pk_test_TYooMQauvdEDq54NiTphI7jx", "production"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "warning", message: "Test key in production" },
    ],
  ],
  [
    "stripe live key in development",
    key(STRIPE_LIVE, "development"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "warning", message: "Live key outside production" },
    ],
  ],
  [
    "restricted live key in testing",
    key("rk_live_51Habcdefghij0123", "testing"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "warning", message: "Live key outside production" },
    ],
  ],
  [
    "stripe test key in development",
    key(STRIPE_TEST, "development"),
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "passed" },
    ],
  ],
  ["too-short stripe key", key("sk_live_abc"), [{ type: "api_key", status: "warning" }]],
  ["resend key", key("re_123456789_abcdefghijklmnop", "production"), [{ type: "api_key", status: "passed" }]],
  ["twilio account SID", key(`AC${HEX32}`, "production"), [{ type: "api_key", status: "passed" }]],
  ["twilio API key SID", key(`SK${HEX32}`, "development"), [{ type: "api_key", status: "passed" }]],
  ["twilio SID too short", key(`AC${HEX32.slice(1)}`), [{ type: "api_key", status: "warning" }]],
  [
    "unknown provider",
    key("ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
    [{ type: "api_key", status: "warning", message: "Not a recognised provider format" }],
  ],
  // feature_flag
  ...["true", "FALSE", "True", "1", "0", "on", "OFF", "yes", "No"].map(
    (v): Case => [`flag ${v}`, flag(v), [{ type: "format", status: "passed" }]],
  ),
  ...["maybe", "", " true", "enabled", "2", "truee"].map(
    (v): Case => [`flag "${v}"`, flag(v), [{ type: "format", status: "failed" }]],
  ),
  // configuration
  ["json object", json('{"retries": 3, "hosts": ["a", "b"], "nested": {"x": null}}'), [{ status: "passed" }]],
  ["json scalar", json("42"), [{ status: "passed" }]],
  [
    "broken json",
    json('{"password": "hunter2-secret",}'),
    [{ status: "failed", message: "Not valid JSON: syntax error at line 1, column 31 (position 30)" }],
  ],
  [
    "bare word json",
    json("hunter2-secret"),
    [{ status: "failed", message: "Not valid JSON: syntax error at line 1, column 1 (position 0)" }],
  ],
  [
    "truncated json",
    json('{\n  "token": "hunter2-secret"'),
    [
      {
        status: "failed",
        message: "Not valid JSON: unexpected end of input at line 2, column 28 (position 29)",
      },
    ],
  ],
  ["configuration without json tag", json("not json at all", ["payments"]), []],
  ["configuration without tags", { variableType: "configuration", value: "{{{" }, []],
  // validation pattern (any type)
  ["secret without pattern", { value: "hunter2-secret-value" }, []],
  [
    "secret matching its pattern",
    { value: "sk_live_abcdef123456", validationPattern: "^sk_(live|test)_[A-Za-z0-9]+$" },
    [{ type: "format", status: "passed" }],
  ],
  [
    "secret missing its pattern",
    { value: "hunter2-secret-value", validationPattern: "^sk_(live|test)_[A-Za-z0-9]+$" },
    [{ type: "format", status: "failed", message: "Does not match the variable's validation pattern" }],
  ],
  [
    "unsafe stored pattern",
    { value: "aaaaaaaaaaaaaaaaaaaaaaaa!", validationPattern: "(a+)+$" },
    [{ type: "format", status: "warning", message: expect.stringMatching(/not applied/) }],
  ],
  ["empty pattern is no pattern", { value: "hunter2-secret-value", validationPattern: "" }, []],
  ["null pattern is no pattern", { value: "hunter2-secret-value", validationPattern: null }, []],
  [
    "flag and pattern",
    { ...flag("yes"), validationPattern: "^(yes|no)$" },
    [
      { type: "format", status: "passed", message: "Valid boolean" },
      { type: "format", status: "passed", message: "Matches the variable's validation pattern" },
    ],
  ],
  [
    "key failing its pattern",
    { ...key(STRIPE_LIVE, "production"), validationPattern: "^sk_test_" },
    [
      { type: "api_key", status: "passed" },
      { type: "security", status: "passed" },
      { type: "format", status: "failed" },
    ],
  ],
];

describe("checkValue", () => {
  it.each(cases)("%s", async (_name, input, expected) => {
    const checks = await run(input);
    expect(checks).toEqual(expected.map((e) => expect.objectContaining(e)));
    for (const check of checks) {
      expect(check.message.length).toBeGreaterThan(0);
      if (input.value.trim().length > 5) expect(check.message).not.toContain(input.value);
    }
  });

  it("never echoes any part of a secret-looking value", async () => {
    const secret = "hunter2-secret";
    const inputs: CheckInput[] = [
      { variableType: "database_url", environmentType: "production", value: `${secret}://x` },
      { variableType: "database_url", environmentType: "production", value: `postgres://u:${secret}@/db` },
      { variableType: "api_key", environmentType: "production", value: secret },
      { variableType: "feature_flag", environmentType: "production", value: secret },
      {
        variableType: "configuration",
        environmentType: "production",
        value: `{"${secret}"}`,
        tags: ["json"],
      },
      { variableType: "secret", environmentType: "production", value: secret, validationPattern: "^x$" },
    ];
    for (const input of inputs) {
      for (const check of await checkValue(input)) expect(check.message).not.toContain("hunter2");
    }
  });
});

describe("a pattern whose analysis did not finish", () => {
  // recheck cannot settle this one within its time limit: the same happens to a simple pattern on a machine
  // too loaded to finish the analysis in time. A value must then be refused for now, never accepted unchecked.
  const unsettled = "^(a|b|ab){1,40}c$";

  it("refuses the value for now instead of accepting it unchecked, and asks again next time", async () => {
    const value = "not-matching-anything";
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const checks = await checkValue({
        variableType: "secret",
        environmentType: "production",
        value,
        validationPattern: unsettled,
      });
      expect(checks).toEqual([
        expect.objectContaining({
          type: "format",
          status: "failed",
          message: expect.stringMatching(/try again/),
        }),
      ]);
    }
  }, 30_000);
});

describe("jsonErrorOffset", () => {
  it.each([
    ["{}", null],
    ['[1, -2.5e3, "x\\u00e9", true, false, null, {"a": []}]', null],
    ["[1,]", 3],
    ['{"a" 1}', 5],
    ["01", 1],
    ['"tab\there"', 4],
    ['"bad \\x escape"', 6],
    ["[", 1],
    ["", 0],
    ["{} x", 3],
  ])("finds the error in %j", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it("agrees with JSON.parse on deep nesting without recursion", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(jsonErrorOffset(deep)).toBeNull();
    expect(jsonErrorOffset(`${deep}]`)).toBe(200_000);
  });
});

describe("worstStatus", () => {
  const c = (status: CheckStatus): ValueCheck => ({ type: "format", status, message: "m" });

  it.each([
    [[], null],
    [[c("passed")], "passed"],
    [[c("passed"), c("warning")], "warning"],
    [[c("warning"), c("failed"), c("passed")], "failed"],
    [[c("failed"), c("warning")], "failed"],
  ] as const)("%j → %s", (checks, expected) => {
    expect(worstStatus([...checks])).toBe(expected);
  });
});
