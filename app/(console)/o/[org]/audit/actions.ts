"use server";

import { z } from "zod";
import { requireCapability } from "@/db/authz";
import { verifyChainIn } from "@/db/queries/audit";
import { runAction } from "@/server/action";

export async function verifyAuditAction(org: string, _prev: unknown, _form: FormData) {
  return runAction(
    org,
    z.object({}),
    {},
    async (tx, ctx) => {
      requireCapability(ctx, "audit:read");
      return verifyChainIn(tx, ctx.organizationId);
    },
    { capability: "audit:read" },
  );
}
