"use server";

import { z } from "zod";
import { verifyChainIn } from "@/db/repos/audit";
import { orgAction } from "@/server/entry/action";

export const verifyAuditAction = orgAction({
  call: "form",
  input: z.object({}),
  capability: "audit:read",
  run: (tx, ctx) => verifyChainIn(tx, ctx.organizationId),
});
