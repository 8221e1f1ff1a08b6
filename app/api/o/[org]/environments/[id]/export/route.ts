import { z } from "zod";
import { withContext } from "@/db/context";
import { VALUE_READ } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import { orgRoute } from "@/server/entry/route";
import { exportEnvironment } from "@/server/values/export";

export const dynamic = "force-dynamic";

const query = z.object({
  format: z.enum(["env", "json"], { error: "Use format=env or format=json" }).default("env"),
});

/**
 * GET …/export?format=env|json — every readable value of the environment, decrypted; audited as an export.
 * The whole body is built before the response starts, so any failure is a JSON error with its status.
 */
export const GET = orgRoute({
  capability: VALUE_READ,
  query,
  run: async ({ params, member, query: { format } }) => {
    const id = String(params.id);
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found");
    const { user: _u, org: _o, emergency: _e, ...ctx } = member;
    const result = await withContext(ctx, (tx) => exportEnvironment(tx, ctx, id, format));
    return new Response(result.body, {
      headers: {
        "Content-Type": format === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${result.filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});
