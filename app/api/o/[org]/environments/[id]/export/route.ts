import { z } from "zod";
import { withContext } from "@/db/context";
import { exportEnvironment } from "@/db/mutations/export";
import { AppError } from "@/lib/errors";
import { withMember } from "@/server/route";

export const dynamic = "force-dynamic";

const query = z.object({ format: z.enum(["env", "json"]).default("env") });

/** GET …/export?format=env|json — every readable value of the environment, decrypted; audited as an export. */
export async function GET(request: Request, props: RouteContext<"/api/o/[org]/environments/[id]/export">) {
  const { org, id } = await props.params;
  return withMember(org, async (member) => {
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new AppError("validation", { format: ["Use format=env or format=json"] });
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found");
    const { user: _u, org: _o, emergency: _e, ...ctx } = member;
    const result = await withContext(ctx, (tx) => exportEnvironment(tx, ctx, id, parsed.data.format));
    return new Response(result.body, {
      headers: {
        "Content-Type":
          parsed.data.format === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${result.filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
