"use server";

import { sessionSignalInput } from "@/lib/validation/ops";
import { opsAction } from "@/server/entry/action";
import { cancelSession } from "@/server/ops/database";

/** Cancels a stuck session's statement, or ends the session, with the operator's reason (operations log). */
export const signalSessionAction = opsAction({
  call: "form",
  input: sessionSignalInput,
  capability: "operator",
  run: (ctx, input) =>
    cancelSession(ctx, { pid: input.pid, terminate: input.how === "terminate", reason: input.reason }),
});
