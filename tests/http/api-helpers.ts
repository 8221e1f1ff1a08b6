/** What the machine API tests share: reading a problem answer, and variable names of their own. */
import { unique } from "../db/support";
import type { Answer } from "./session";

export type Problem = { code?: string; errors?: Record<string, string[]> };

/** The problem+json of an answer (empty when it is not one). */
export const problem = (a: Answer): Problem => {
  try {
    return JSON.parse(a.body) as Problem;
  } catch {
    return {};
  }
};

/** A variable name no other test uses: `P_KEY_1A2B3C4D`. */
export const keyOf = (prefix: string) =>
  unique(prefix)
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
