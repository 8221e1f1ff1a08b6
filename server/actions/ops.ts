"use server";

import {
  alertRef,
  integrityCheckInput,
  organizationLimitsInput,
  precheckRunInput,
  sessionSignalInput,
  thresholdInput,
} from "@/lib/validation/ops";
import { opsAction } from "@/server/entry/action";
import { acknowledgeAlert, setAlertThreshold } from "@/server/ops/alerts";
import { cancelSession } from "@/server/ops/database";
import { checkIntegrityNow } from "@/server/ops/integrity";
import { operatorPrechecks } from "@/server/precheck/precheck";
import { setLimits } from "@/server/usage/usage";

/** Cancels a stuck session's statement, or ends the session, with the operator's reason (operations log). */
export const signalSessionAction = opsAction({
  call: "form",
  input: sessionSignalInput,
  capability: "operator",
  run: (ctx, input) =>
    cancelSession(ctx, { pid: input.pid, terminate: input.how === "terminate", reason: input.reason }),
});

/** Takes an open alert on (named in the alert and the operations log). */
export const acknowledgeAlertAction = opsAction({
  call: "form",
  input: alertRef,
  capability: "operator",
  run: (ctx, input) => acknowledgeAlert(ctx, input),
});

/** Runs the integrity checks of every organization now (they also run daily); the results page follows. */
export const checkIntegrityAction = opsAction({
  call: "form",
  input: integrityCheckInput,
  capability: "operator",
  run: (ctx) => checkIntegrityNow(ctx),
});

/** Sets an alert rule's threshold, or puts it back to the default. */
export const setThresholdAction = opsAction({
  call: "form",
  input: thresholdInput,
  capability: "operator",
  run: (ctx, input) => setAlertThreshold(ctx, input),
});

/** Runs the Saturday pre-check now for every organization with wedding hours within a week; logged. */
export const runPrechecksAction = opsAction({
  call: "form",
  input: precheckRunInput,
  capability: "operator",
  run: (ctx) => operatorPrechecks(ctx),
});

/** Sets an organization's usage limits (each empty one: the installation's default); logged. */
export const setLimitsAction = opsAction({
  call: "form",
  input: organizationLimitsInput,
  capability: "operator",
  run: (ctx, input) => setLimits(ctx, input),
});
