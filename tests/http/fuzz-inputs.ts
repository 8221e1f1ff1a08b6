/**
 * The malformed inputs of the fuzz test (tests/http/fuzz.test.ts). Field names are the union of what the
 * app's forms and actions take; a value battery is applied to all of them at once, in a FormData (as a form
 * sends it) and in a plain object (as an action called with an argument object receives it).
 */

/** Every field name the actions and routes read (a new field is still hit by the whole-argument cases). */
export const FIELDS = [
  "action",
  "active",
  "autoPush",
  "classification",
  "code",
  "confirm",
  "days",
  "deleteUnmanaged",
  "deploymentBranch",
  "deploymentUrl",
  "description",
  "displayName",
  "email",
  "emergency",
  "endDay",
  "endTime",
  "endsAt",
  "environment",
  "environmentId",
  "environmentType",
  "environments",
  "expected",
  "expectedVersion",
  "expiresAt",
  "from",
  "fromEnvironmentId",
  "id",
  "isProduction",
  "isRequired",
  "isWeddingCritical",
  "items",
  "kind",
  "label",
  "location",
  "minutes",
  "name",
  "note",
  "others",
  "password",
  "permission",
  "reason",
  "resource",
  "risk",
  "role",
  "scanIntervalMinutes",
  "scope",
  "secret",
  "securityClassification",
  "sessionId",
  "startDay",
  "startTime",
  "startsAt",
  "subject",
  "syncId",
  "tag",
  "tags",
  "text",
  "timeZone",
  "to",
  "token",
  "user",
  "userId",
  "validationPattern",
  "value",
  "variable",
  "variableId",
  "variableType",
  "version",
  "weddingDayProtection",
];

/** Strings no field may accept (or that must be refused cleanly): each is put into every field. */
export const BAD_STRINGS: Record<string, string> = {
  nul: "a\u0000b",
  "lone high surrogate": "x\ud800y",
  "lone low surrogate": "\udc00",
  "impossible date": "2025-02-31",
  "impossible month": "2025-13-01",
  "impossible date-time": "2025-02-31T25:61",
  "year 0": "0000-01-01",
  "100k characters": "x".repeat(100_000),
  "percent garbage": "%E0%A4%A%FF",
};

/** Values of the wrong type, put into every field of an argument object. */
export const BAD_TYPES: Record<string, unknown> = {
  number: 42,
  "unsafe integer": 2 ** 53 + 2,
  "beyond int4": 2_147_483_648,
  infinity: Number.POSITIVE_INFINITY,
  array: ["a", 1, null],
  object: { nested: { deeper: "x" } },
  null: null,
};

export const formWith = (value: string) => {
  const form = new FormData();
  for (const field of FIELDS) form.set(field, value);
  return form;
};

export const objectWith = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));

export type ArgCase = { label: string; args: unknown[] };

/** The bad strings also sent in a form (the others go in an argument object only). */
const IN_FORMS = ["nul", "lone high surrogate", "impossible date-time", "100k characters"];

/**
 * Argument lists for one action of an organization: bad values in an object and in a form, wrong types,
 * missing and extra fields, a bad organization argument, and the shapes of the actions that take no
 * organization (`(prev, form)` and `(input)`).
 */
export function argumentCases(org: string): ArgCase[] {
  const cases: ArgCase[] = [];
  for (const [label, value] of Object.entries(BAD_STRINGS)) {
    cases.push({ label: `object: ${label}`, args: [org, objectWith(value)] });
    if (IN_FORMS.includes(label)) cases.push({ label: `form: ${label}`, args: [org, null, formWith(value)] });
  }
  for (const [label, value] of Object.entries(BAD_TYPES))
    cases.push({ label: `object: ${label}`, args: [org, objectWith(value)] });
  cases.push(
    { label: "argument: number", args: [org, 42, 42] },
    { label: "argument: null", args: [org, null, null] },
    { label: "no arguments", args: [] },
    { label: "only the organization", args: [org] },
    { label: "empty form", args: [org, null, new FormData()] },
    { label: "empty object", args: [org, {}] },
    { label: "extra fields", args: [org, { ...objectWith("ok"), constructor: "x", ["a".repeat(300)]: "z" }] },
    { label: "organization: nul", args: ["de\u0000mo", {}] },
    { label: "organization: object", args: [{ slug: org }, {}] },
    { label: "no organization, form: nul", args: [null, formWith("a\u0000b")] },
    { label: "no organization, object: lone surrogate", args: [objectWith("\ud800")] },
  );
  return cases;
}

export type RawBody = {
  label: string;
  body: Uint8Array<ArrayBuffer> | string;
  contentType?: string;
  /** Extra headers; `next-action: ""` posts it as a form without JavaScript would (no action header). */
  headers?: Record<string, string>;
};

const boundary = "----fuzzboundary";
const multipart = (parts: [string, string][], close = true) =>
  parts
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join("") + (close ? `--${boundary}--\r\n` : "");

/** Bodies that are not what React's `encodeReply` produces, for the action `actionId`. */
export function rawBodies(org: string, actionId: string): RawBody[] {
  const text = "text/plain;charset=UTF-8";
  const form = `multipart/form-data; boundary=${boundary}`;
  const json = (v: unknown) => ({ body: JSON.stringify(v), contentType: text });
  const noJs = { "next-action": "" };
  return [
    { label: "not JSON", body: "garbage", contentType: text },
    { label: "empty body", body: "", contentType: text },
    { label: "root is not a list", ...json({ a: 1 }) },
    {
      label: "invalid UTF-8 bytes",
      body: new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x5d]),
      contentType: text,
    },
    { label: "server reference", ...json([org, "$h1"]) },
    { label: "temporary reference", ...json([org, "$T"]) },
    { label: "missing outlined model", ...json([org, "$7:a:b"]) },
    { label: "bad bigint", ...json([org, "$nxyz"]) },
    { label: "deep nesting", body: `${"[".repeat(5000)}${"]".repeat(5000)}`, contentType: text },
    { label: "too many arguments", ...json(Array(1500).fill(org)) },
    { label: "huge array", body: `[${Array(1_100_000).fill("0").join(",")}]`, contentType: text },
    { label: "multipart without root", body: multipart([["1", '"x"']]), contentType: form },
    { label: "multipart without its end", body: multipart([["0", `["${org}"]`]], false), contentType: form },
    {
      label: "multipart without a boundary",
      body: multipart([["0", `["${org}"]`]]),
      contentType: "multipart/form-data",
    },
    {
      label: "form without JavaScript, bound arguments garbage",
      body: multipart([
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", JSON.stringify({ id: actionId, bound: "$@1" })],
        ["$ACTION_1:1", "[garbage"],
      ]),
      contentType: form,
      headers: noJs,
    },
    {
      label: "form without JavaScript, unbound with NUL fields",
      body: multipart([
        [`$ACTION_ID_${actionId}`, ""],
        ["name", "a\u0000b"],
        ["id", "\ud800"],
      ]),
      contentType: form,
      headers: noJs,
    },
  ];
}
