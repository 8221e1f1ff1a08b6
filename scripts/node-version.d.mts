/** Types of scripts/node-version.mjs (plain JavaScript: it must run on an older Node, before tsx). */
export function parseVersion(text: string): [number, number, number] | null;
export function atLeast(version: string, required: string): boolean;
export function requiredFromEngines(range: string): string;
export function requiredNode(env?: Record<string, string | undefined>): string;
export function nodeVersionProblem(version?: string, required?: string): string | null;
