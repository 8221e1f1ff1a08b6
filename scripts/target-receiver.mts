/**
 * The reference receiver of the deployment target protocol (docs/sync-protocol.md): serves one `.env` file to
 * a Ringbearer console over signed HTTP. Small on purpose, so a deployment team can read it before running it
 * or port it; `npm run target` is its command line.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { z } from "zod";
import { ReplayGuard } from "@/lib/replay-guard";
import {
  ApplyRequest,
  describeIssues,
  MAX_BODY_BYTES,
  readHeader,
  SIGNATURE_HEADER,
  signResponse,
  TIMESTAMP_HEADER,
  ValuesRequest,
  verifyRequest,
} from "@/lib/sync-protocol";
import { fileTarget } from "@/lib/targets/file-target";
import { TargetError } from "@/lib/targets/types";

export type ReceiverOptions = {
  port: number;
  host?: string;
  file: string;
  secret: string;
  /** Gets one JSON line per request (method, path, status, ms; never a value); stderr by default. */
  log?: (line: string) => void;
  /** For tests: the receiver's clock (ms), and how many request signatures it remembers (100,000). */
  clock?: () => number;
  maxRemembered?: number;
};
export type Receiver = { port: number; url: string; close(): Promise<void> };

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const SIGNATURE_PROBLEMS = {
  missing: "The request is not signed",
  stale: "The request's timestamp is more than 5 minutes from the receiver's clock",
  mismatch: "The request's signature does not match: check the shared secret",
} as const;

const ROUTES: Record<string, string[]> = { "/v1/state": ["GET", "PUT"], "/v1/values": ["POST"] };

const tooLarge = () => new Refusal(413, "too_large", `The body is larger than ${MAX_BODY_BYTES} bytes`);

/** Buffers at most MAX_BODY_BYTES, refusing as soon as the declared or streamed size goes over. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      reject(tooLarge());
    };
    req.on("data", onData);
    req.on("end", () => resolveBody(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody<T>(text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the input, which may hold a value.
    throw new Refusal(400, "bad_request", "The body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Refusal(400, "bad_request", describeIssues(parsed.error));
  return parsed.data;
}

const listen = (server: ReturnType<typeof createServer>, port: number, host: string) =>
  new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done();
    });
  });

export async function startReceiver({
  port,
  host = "127.0.0.1",
  file,
  secret,
  log = (line) => process.stderr.write(`${line}\n`),
  clock = Date.now,
  maxRemembered,
}: ReceiverOptions): Promise<Receiver> {
  // fileTarget writes atomically and one apply at a time per file, so concurrent PUTs never interleave.
  const target = fileTarget({ path: resolve(file), secret });
  const guard = new ReplayGuard({ limit: maxRemembered, clock });

  /** Every answer is signed together with the signature of the request it answers, as received. */
  function send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    payload: unknown,
    extra: Record<string, string> = {},
  ) {
    const body = JSON.stringify(payload);
    const requestSignature = readHeader(req.headers, SIGNATURE_HEADER) ?? "";
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body, "utf8")),
      "cache-control": "no-store",
      ...extra,
      ...signResponse({ secret, status, requestSignature, body, now: clock() }),
    });
    res.end(body);
  }

  async function answer(req: IncomingMessage, method: string, url: string, pathname: string) {
    const body = await readBody(req);
    const check = verifyRequest({ secret, method, path: url, body, headers: req.headers, now: clock() });
    if (!check.ok) throw new Refusal(401, "bad_signature", SIGNATURE_PROBLEMS[check.reason]);
    const signature = readHeader(req.headers, SIGNATURE_HEADER) ?? "";
    const verdict = guard.check(signature, Number(readHeader(req.headers, TIMESTAMP_HEADER)));
    if (verdict === "replayed")
      throw new Refusal(409, "replayed", "This request was already received (a replay?)");
    if (verdict === "early")
      throw new Refusal(
        409,
        "replayed",
        "This request was signed before the receiver started (a replay?); if the clocks differ, retry shortly",
      );
    if (verdict === "full") {
      throw new Refusal(
        503,
        "busy",
        "Too many recent requests to check this one for replays: try again later",
      );
    }
    const allowed = ROUTES[pathname];
    if (!allowed)
      throw new Refusal(404, "not_found", "No such endpoint: this receiver serves /v1/state and /v1/values");
    if (!allowed.includes(method)) {
      throw new Refusal(405, "method_not_allowed", `${pathname} accepts ${allowed.join(", ")}`, {
        allow: allowed.join(", "),
      });
    }
    if (method === "GET") return { keys: Object.fromEntries(await target.state()) };
    if (method === "POST") {
      const { keys } = parseBody(body, ValuesRequest);
      return { values: Object.fromEntries(await target.values(keys)) };
    }
    const change = parseBody(body, ApplyRequest);
    return { keys: Object.fromEntries(await target.apply(change)) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const pathname = url.split("?")[0];
    let status = 200;
    let error: string | undefined;
    let reason: string | undefined;
    try {
      send(req, res, status, await answer(req, method, url, pathname));
    } catch (thrown) {
      let refusal: Refusal;
      if (thrown instanceof Refusal) refusal = thrown;
      else if (thrown instanceof TargetError && thrown.code === "refused") {
        refusal = new Refusal(400, "bad_request", thrown.message);
      } else if (thrown instanceof TargetError) refusal = new Refusal(500, "internal", thrown.message);
      else {
        // Only the error's class reaches the log: an arbitrary message could quote a value.
        reason = thrown instanceof Error ? thrown.name : typeof thrown;
        refusal = new Refusal(500, "internal", "The receiver failed unexpectedly");
      }
      status = refusal.status;
      error = refusal.code;
      // After a refused upload the rest of the body is not read: close rather than reuse the connection.
      const close: Record<string, string> = status === 413 ? { connection: "close" } : {};
      send(
        req,
        res,
        status,
        { error: refusal.code, message: refusal.message },
        { ...refusal.headers, ...close },
      );
    }
    const ms = Math.round(performance.now() - started);
    log(
      JSON.stringify({ time: new Date().toISOString(), method, path: pathname, status, ms, error, reason }),
    );
  }

  const server = createServer((req, res) => void handle(req, res));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    port: bound,
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        server.closeAllConnections();
      }),
  };
}
