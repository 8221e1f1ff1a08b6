import type { ActionResult } from "@/lib/errors";
import type { ValueChange } from "@/server/values/values";

/** One value: a variable in an environment. */
export type ValueTarget = { variableId: string; environmentId: string };

type FormAction = (org: string, prev: unknown, form: FormData) => Promise<ActionResult<ValueChange>>;

/**
 * The server actions the value editor calls, handed down by the page that renders it (components do not
 * import app/): set (a form: variableId, environmentId, expectedVersion, value, note) and the audited reveal.
 */
/** A revealed value as written, and, when it holds references, what they resolve to (or why they do not). */
export type RevealedValue = {
  value: string;
  version: number;
  resolved: { value: string } | { problem: string } | null;
};

export type ValueActions = {
  setValue: FormAction;
  revealValue: (org: string, target: ValueTarget) => Promise<ActionResult<RevealedValue>>;
};

/** The variable page's row offers more: delete (a form like set) and a connectivity check. */
export type ValueRowActions = ValueActions & {
  deleteValue: FormAction;
  checkConnectivity: (
    org: string,
    target: ValueTarget,
  ) => Promise<ActionResult<{ status: string; message: string; ms: number }>>;
};
