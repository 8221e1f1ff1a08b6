import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local fake of Stripe's, HubSpot's and QuickBooks' APIs, speaking just enough for health checks: Stripe
 * `GET /v1/balance`, HubSpot `GET /account-info/v3/details` and QuickBooks `GET /v3/company/{realm}/companyinfo/
 * {realm}`, each with `Authorization: Bearer <credential>`. A known credential answers 200; another 401. `state`
 * turns it slow (`delayMs`) or failing (`failWith`, e.g. 500) until set back; `hits` counts requests.
 */
export async function startFakePlatforms(known: string[]) {
  const state = { delayMs: 0, failWith: 0, hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits += 1;
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const credential = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    setTimeout(() => {
      if (state.failWith) return answer(state.failWith, { error: { message: "Internal error" } });
      if (!known.includes(credential))
        return answer(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      if (path === "/v1/balance") return answer(200, { object: "balance", available: [], pending: [] });
      if (path === "/account-info/v3/details")
        return answer(200, { portalId: 1234, timeZone: "Europe/London" });
      if (/^\/v3\/company\/[^/]+\/companyinfo\/[^/]+$/.test(path))
        return answer(200, { CompanyInfo: { CompanyName: "Fake Weddings Ltd" } });
      answer(404, { error: "not found" });
    }, state.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
