import { z } from "zod";
import { matrixPage } from "@/db/repos/matrix";
import { parseStatusFilter } from "@/lib/matrix";
import { queryText as text } from "@/lib/validation/fields";
import { orgRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

const query = z.object({
  q: text(255),
  type: text(50),
  classification: text(50),
  tag: text(50),
  status: text(250),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /api/o/[org]/matrix — one page of the environment matrix (states only; no values, no hashes). */
export const GET = orgRoute({
  capability: "metadata:read",
  query,
  run: async ({ member, query: { status, ...rest } }) => {
    const started = performance.now();
    const page = await matrixPage(member, { ...rest, status: parseStatusFilter(status) });
    return Response.json(page, {
      headers: {
        "Cache-Control": "no-store",
        "Server-Timing": `db;dur=${(performance.now() - started).toFixed(1)}`,
      },
    });
  },
});
