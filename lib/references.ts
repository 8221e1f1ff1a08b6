/**
 * References inside values (issue 14): `${KEY}` is the value of KEY in the same environment, `${env.KEY}` the value
 * of KEY in the organization's environment named `env`. `$${` writes a literal `${`. A value is stored as written;
 * references are resolved when it is read for a machine, an export or a deployment, at most MAX_REFERENCE_DEPTH deep.
 * Pure: what a reference names, and how a set of loaded values resolves. Loading them is server/values/references.ts.
 */

/** The longest chain of references a value may start (A → B → … ten steps). */
export const MAX_REFERENCE_DEPTH = 10;

/** Where a reference points: an environment by name (null: the value's own) and a variable name. */
export type ReferenceTarget = { environment: string | null; key: string };

/** A value's place: its environment's name and its variable's name. */
export type ValueAddress = { environment: string; key: string };

// `$${` (an escaped `${`), or `${KEY}` / `${env.KEY}` with the console's own name rules.
const TOKEN = /\$\$\{|\$\{(?:([a-z][a-z0-9_-]*)\.)?([A-Z][A-Z0-9_]*)\}/g;

/** Whether a value could hold a reference (cheap: most values have no `${` at all). */
export const mayHoldReferences = (value: string) => value.includes("${");

/** The references a value makes, in order (an escaped `$${…}` is none). */
export function referencesIn(value: string): ReferenceTarget[] {
  if (!mayHoldReferences(value)) return [];
  const found: ReferenceTarget[] = [];
  for (const m of value.matchAll(TOKEN))
    if (m[0] !== "$${") found.push({ environment: m[1] ?? null, key: m[2] });
  return found;
}

/** `${KEY}` or `${env.KEY}` as written, for messages. */
export const referenceText = (t: ReferenceTarget) =>
  `\${${t.environment ? `${t.environment}.` : ""}${t.key}}`;

/** `env.KEY`, the name a value goes by in messages and in the resolver's maps. */
export const addressText = (a: ValueAddress) => `${a.environment}.${a.key}`;

/** Why a value cannot be resolved. `chain` runs from the value being resolved to where it failed. */
export type ReferenceProblem =
  | { kind: "missing"; chain: ValueAddress[]; target: ValueAddress }
  | { kind: "forbidden"; chain: ValueAddress[]; target: ValueAddress }
  | { kind: "cycle"; chain: ValueAddress[] }
  | { kind: "too_deep"; chain: ValueAddress[] };

export class UnresolvableReference extends Error {
  constructor(readonly problem: ReferenceProblem) {
    super(describeProblem(problem));
    this.name = "UnresolvableReference";
  }
}

/** One sentence for a person, naming keys and environments only (never a value). */
export function describeProblem(p: ReferenceProblem): string {
  const path = p.chain.map(addressText).join(" → ");
  switch (p.kind) {
    case "missing":
      return `${path} refers to ${addressText(p.target)}, which has no value`;
    case "forbidden":
      return `${path} refers to ${addressText(p.target)}, which you may not read`;
    case "cycle":
      return `References go round in a circle: ${path}`;
    case "too_deep":
      return `References go more than ${MAX_REFERENCE_DEPTH} deep: ${path}`;
  }
}

/** What the resolver knows of a value it may need: its text, or that it has none, or that the reader may not read it. */
export type Known = { value: string } | "missing" | "forbidden";

/**
 * Resolves values by their addresses, each once however many refer to it. `known` answers for every address the
 * loader fetched; an address it does not know is missing. Throws UnresolvableReference for the first problem met.
 */
export function createResolver(known: (address: ValueAddress) => Known) {
  const resolved = new Map<string, string>();
  const resolve = (address: ValueAddress, chain: ValueAddress[]): string => {
    const id = addressText(address);
    const done = resolved.get(id);
    if (done !== undefined) return done;
    const here = [...chain, address];
    if (chain.some((a) => addressText(a) === id))
      throw new UnresolvableReference({ kind: "cycle", chain: here });
    if (chain.length > MAX_REFERENCE_DEPTH)
      throw new UnresolvableReference({ kind: "too_deep", chain: here });
    const entry = known(address);
    if (entry === "missing" || entry === "forbidden")
      throw new UnresolvableReference({ kind: entry, chain, target: address });
    const value = substitute(entry.value, (t) =>
      resolve({ environment: t.environment ?? address.environment, key: t.key }, here),
    );
    resolved.set(id, value);
    return value;
  };
  return (address: ValueAddress) => resolve(address, []);
}

/** The value with each reference replaced by `replace`'s answer and each `$${` by `${`. */
export function substitute(value: string, replace: (target: ReferenceTarget) => string): string {
  if (!mayHoldReferences(value)) return value;
  return value.replace(TOKEN, (whole, environment: string | undefined, key: string) =>
    whole === "$${" ? "${" : replace({ environment: environment ?? null, key }),
  );
}
