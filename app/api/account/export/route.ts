import { exportMyData } from "@/server/account/export";
import { userRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/account/export — the signed-in person's own data as a JSON download (GDPR access): profile,
 * sessions, memberships and the audit entries their actions wrote, in every organization they belong to.
 */
export const GET = userRoute({
  capability: "signed-in",
  run: async (_request, user) => {
    const data = await exportMyData(user.id);
    const day = data.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="ringbearer-my-data-${day}.json"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
