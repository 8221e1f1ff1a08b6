/**
 * The shape of a server action request body, checked before Next.js decodes it: Next answers 500 to a body
 * React's `decodeReply` cannot decode (not JSON, a reference to a part that is not there, a function, a huge
 * array…), so the request guard refuses those with a 400 first. What passes is what React's `encodeReply`
 * produces for the arguments this app's actions take: JSON values, plain objects and arrays, FormData,
 * dates, big integers, and references between the parts of one body.
 *
 * A fetch action (header `Next-Action`) sends its argument list as the text body, or as multipart fields
 * `0` (the root), `<hex>` (outlined parts) and `_<hex>_<name>` (the entries of a FormData argument). A form
 * posted before JavaScript loaded ("MPA") sends `$ACTION_ID_<id>`, or `$ACTION_REF_<n>` with the bound
 * action in `$ACTION_<n>:0` and its parts under the prefix `$ACTION_<n>:`.
 */

/** React refuses more than this many arguments (Next.js: SERVER_ACTION_ARGS_LIMIT). */
const MAX_ARGUMENTS = 1000;
/** React's own limit on the slots and characters of nested arrays (arraySizeLimit). */
const MAX_ARRAY_SLOTS = 1_000_000;
/** React revives a body recursively: deeper nesting is refused before it can exhaust the stack. */
const MAX_DEPTH = 64;

export type Fields = Map<string, string | null>;

const HEX = /^[0-9a-f]+$/;

/** What is wrong with the parts of one reply (those under `prefix`), or null when React can decode it. */
function replyProblem(parts: Fields, prefix: string, root: "arguments" | "bound action"): string | null {
  const parsed = new Map<string, unknown>();
  const partOf = (id: string): { ok: true; value: unknown } | { ok: false } => {
    if (parsed.has(id)) return { ok: true, value: parsed.get(id) };
    const text = parts.get(prefix + id);
    if (typeof text !== "string") return { ok: false };
    try {
      const value = JSON.parse(text) as unknown;
      parsed.set(id, value);
      return { ok: true, value };
    } catch {
      return { ok: false };
    }
  };

  const rootPart = partOf("0");
  if (!rootPart.ok) return "The request body is not a server action call";
  if (root === "arguments" && (!Array.isArray(rootPart.value) || rootPart.value.length > MAX_ARGUMENTS))
    return "The request body is not a list of arguments";
  if (root === "bound action") {
    const meta = rootPart.value as { id?: unknown; bound?: unknown } | null;
    if (typeof meta?.id !== "string" || (meta.bound !== null && typeof meta.bound !== "string"))
      return "The request body names no action";
  }

  const pending = ["0"];
  const checked = new Set<string>();
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (checked.has(id)) continue;
    checked.add(id);
    const part = partOf(id);
    if (!part.ok) return "The request body refers to a part it does not contain";
    const problem = valueProblem(part.value, partOf, pending);
    if (problem) return problem;
  }
  return null;
}

type PartOf = (id: string) => { ok: true; value: unknown } | { ok: false };

/** Walks one part: each `$`-string must be one React can revive; references must resolve. */
function valueProblem(root: unknown, partOf: PartOf, pending: string[]): string | null {
  type Ctx = { slots: number };
  const walk = (value: unknown, depth: number, arrayCtx: Ctx | null): string | null => {
    if (depth > MAX_DEPTH) return "The request body is nested too deeply";
    if (typeof value === "string") {
      if (arrayCtx) arrayCtx.slots += value.length;
      if (arrayCtx && arrayCtx.slots > MAX_ARRAY_SLOTS) return "An array is too large";
      return value.startsWith("$") ? specialProblem(value, partOf, pending) : null;
    }
    if (Array.isArray(value)) {
      const ctx = arrayCtx ?? { slots: 0 };
      ctx.slots += value.length + 1;
      if (ctx.slots > MAX_ARRAY_SLOTS) return "An array is too large";
      for (const item of value) {
        const problem = walk(item, depth + 1, ctx);
        if (problem) return problem;
      }
      return null;
    }
    if (value !== null && typeof value === "object")
      for (const item of Object.values(value)) {
        const problem = walk(item, depth + 1, null);
        if (problem) return problem;
      }
    return null;
  };
  return walk(root, 0, null);
}

const PLAIN_SPECIALS = new Set(["$undefined", "$-0", "$Infinity", "$-Infinity", "$NaN"]);

/** One `$`-string: an escaped string, a value, a FormData, or a reference to a part that exists. */
function specialProblem(s: string, partOf: PartOf, pending: string[]): string | null {
  const refused = "The request body carries a value no action takes";
  if (s.startsWith("$$") || PLAIN_SPECIALS.has(s)) return null;
  const tag = s[1];
  const rest = s.slice(2);
  if (tag === "D") return null; // a Date (an invalid one is just Invalid Date)
  if (tag === "n") return /^-?\d{1,300}$/.test(rest) ? null : refused;
  if (tag === "K") return HEX.test(rest) ? null : refused; // a FormData: its entries may be absent
  if (tag === "@") {
    if (!HEX.test(rest)) return refused;
    pending.push(String(Number.parseInt(rest, 16)));
    return null;
  }
  // `$<hex>` or `$<hex>:<key>:…`: an outlined part, or a path into one (a repeated object).
  const [id, ...path] = s.slice(1).split(":");
  if (!HEX.test(id)) return refused;
  const part = partOf(String(Number.parseInt(id, 16)));
  if (!part.ok) return "The request body refers to a part it does not contain";
  let at: unknown = part.value;
  for (const key of path) {
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return refused;
    at = (at as Record<string, unknown>)[key];
    if (typeof at === "string" && at.startsWith("$") && !at.startsWith("$$")) return refused;
  }
  pending.push(String(Number.parseInt(id, 16)));
  return null;
}

/** A fetch action's body (header `Next-Action`): the text, or the multipart fields. */
export function fetchActionBodyProblem(body: { text: string } | { fields: Fields }): string | null {
  const parts: Fields = "text" in body ? new Map([["0", body.text]]) : body.fields;
  return replyProblem(parts, "", "arguments");
}

/** A form posted without JavaScript: every bound action it names must decode (unbound ones carry no parts). */
export function formActionBodyProblem(fields: Fields): string | null {
  for (const name of fields.keys()) {
    const m = /^\$ACTION_REF_(.*)$/.exec(name);
    if (!m) continue;
    const problem = replyProblem(fields, `$ACTION_${m[1]}:`, "bound action");
    if (problem) return problem;
  }
  return null;
}
