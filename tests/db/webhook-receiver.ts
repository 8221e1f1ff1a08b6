import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local webhook receiver for the tests. It checks each request's signature with its own few lines of the
 * Standard Webhooks scheme (node:crypto, not the package the console signs with): HMAC-SHA256 under the secret's
 * base64-decoded bytes, over "id.timestamp.body", any of the space-separated `v1,` signatures. It answers with
 * the statuses it is given, in turn (200 once they run out).
 */
export type Received = {
  id: string;
  timestamp: number;
  signatures: string[];
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
};

export function verifies(secret: string, r: Pick<Received, "id" | "timestamp" | "body" | "signatures">) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = Buffer.from(
    `v1,${createHmac("sha256", key).update(`${r.id}.${r.timestamp}.${r.body}`).digest("base64")}`,
  );
  return r.signatures.some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

export async function startWebhookReceiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({
        id: String(req.headers["webhook-id"]),
        timestamp: Number(req.headers["webhook-timestamp"]),
        signatures: String(req.headers["webhook-signature"] ?? "").split(" "),
        body,
        json: JSON.parse(body),
      });
      res.writeHead(answers.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next answers' statuses, in order. */
    answer: (...statuses: number[]) => answers.push(...statuses),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
