import type { ActionResult } from "@/lib/errors";

/** The sentence for a refused invitation action: the specific reason when there is one. */
export const refusal = (state: Extract<ActionResult<unknown>, { ok: false }>): string =>
  state.fieldErrors?.form?.[0] ?? state.fieldErrors?.token?.[0] ?? state.error.message;
