import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Local fakes of the analytics providers a destination's connection test calls, speaking just enough of each:
 * PostHog's flags endpoint (`POST /flags/?v=2`, the project key in the body) and GA4's Measurement Protocol
 * validation endpoint (`POST /debug/mp/collect?measurement_id=…&api_secret=…`). A known key passes; another is
 * refused the way the provider refuses it. `failWith` makes every answer that status (an outage).
 */
export async function startFakeAnalytics(known: { posthogKey: string; ga4Secret: string }) {
  const requests: { path: string; body: string }[] = [];
  const state = { failWith: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      requests.push({ path: url.pathname, body });
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (state.failWith) return answer(state.failWith, { error: "unavailable" });
      if (req.method === "POST" && url.pathname === "/flags/") {
        const key = (JSON.parse(body || "{}") as { api_key?: string }).api_key;
        return key === known.posthogKey
          ? answer(200, { featureFlags: {}, errorsWhileComputingFlags: false })
          : answer(401, {
              type: "authentication_error",
              code: "invalid_api_key",
              detail: "Project API key invalid.",
            });
      }
      if (req.method === "POST" && url.pathname === "/debug/mp/collect") {
        const ok = url.searchParams.get("api_secret") === known.ga4Secret;
        return answer(200, {
          validationMessages: ok
            ? []
            : [
                {
                  fieldPath: "api_secret",
                  description: "Unable to find api_secret.",
                  validationCode: "VALUE_INVALID",
                },
              ],
        });
      }
      answer(404, { error: "not found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
