/**
 * `npm run target -- --port 4400 --file ./deployed.env [--host 127.0.0.1] [--secret-file path]`: runs the
 * reference receiver (scripts/target-receiver.mts) next to an app. The secret is read from
 * RINGBEARER_TARGET_SECRET or a file, never from a flag, so it does not show in `ps` or shell history.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startReceiver } from "./target-receiver.mts";

const USAGE = `usage: npm run target -- --port <port> --file <path.env> [--host <address>] [--secret-file <path>]

  --port         port to listen on (0 picks a free one)
  --file         the .env file to serve; its folder must exist, the file is created on the first push
  --host         address to listen on (default 127.0.0.1)
  --secret-file  file holding the shared secret (surrounding whitespace ignored);
                 otherwise the secret comes from RINGBEARER_TARGET_SECRET`;

const MIN_SECRET_LENGTH = 16;

class UsageError extends Error {}

const errorCode = (error: unknown): string => (error as { code?: string })?.code ?? "error";

function readSecret(secretFile: string | undefined): string {
  const fromEnv = process.env.RINGBEARER_TARGET_SECRET;
  if (secretFile && fromEnv) {
    throw new UsageError("Give the secret one way: RINGBEARER_TARGET_SECRET or --secret-file, not both");
  }
  let secret = fromEnv;
  if (secretFile) {
    try {
      secret = readFileSync(secretFile, "utf8").trim();
      if (statSync(secretFile).mode & 0o077) {
        console.error(`target: warning: ${secretFile} is readable by other users (chmod 600 it)`);
      }
    } catch (error) {
      throw new UsageError(`Could not read --secret-file ${secretFile} (${errorCode(error)})`);
    }
  }
  if (!secret) throw new UsageError("No secret: set RINGBEARER_TARGET_SECRET or pass --secret-file <path>");
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new UsageError(`The secret is shorter than ${MIN_SECRET_LENGTH} characters`);
  }
  return secret;
}

function readOptions(argv: string[]) {
  if (argv.some((arg) => arg === "--secret" || arg.startsWith("--secret="))) {
    throw new UsageError(
      "There is no --secret flag (it would show in ps): use RINGBEARER_TARGET_SECRET or --secret-file",
    );
  }
  let values: { port?: string; file?: string; host?: string; "secret-file"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        file: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        "secret-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.port === undefined) throw new UsageError("--port is required");
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) {
    throw new UsageError("--port must be a whole number from 0 to 65535");
  }
  if (!values.file) throw new UsageError("--file is required");
  const file = resolve(values.file);
  if (!statSync(dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`The folder for --file does not exist: ${dirname(file)}`);
  }
  const secret = readSecret(values["secret-file"]);
  return { port: Number(values.port), host: values.host ?? "127.0.0.1", file, secret };
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`target: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}

const receiver = await startReceiver(options).catch((error: unknown) => {
  console.error(`target: could not listen on ${options.host}:${options.port} (${errorCode(error)})`);
  process.exit(1);
});
console.log(`Ringbearer target receiver for ${options.file} listening on ${receiver.url}`);

async function stop(signal: string) {
  console.error(`target: ${signal}, stopping`);
  await receiver.close();
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
