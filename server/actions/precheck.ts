"use server";

import { precheckRunInput } from "@/lib/validation/ops";
import { orgAction } from "@/server/entry/action";
import { runPrecheckNow } from "@/server/precheck/precheck";

/** Runs the organization's pre-check for its next wedding hours now; the dashboard shows the result. */
export const runPrecheckAction = orgAction({
  call: "form",
  input: precheckRunInput,
  capability: "precheck:run",
  run: (tx, ctx) => runPrecheckNow(tx, ctx),
});
