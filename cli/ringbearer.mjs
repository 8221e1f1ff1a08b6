#!/usr/bin/env node
/**
 * `ringbearer`: an environment's configuration for deploy pipelines and apps, read with a service token
 * (docs/cli.md). Plain JavaScript with one dependency (commander), so it starts fast; it calls nothing but the
 * console, and never prints a token.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadSnapshot, saveSnapshot } from "./snapshot.mjs";

const FORMATS = ["dotenv", "json", "yaml", "shell", "docker"];
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** A failure the user can act on: its message on stderr, exit code 1. */
class CliError extends Error {}

/** "24h", "30m", "90s", "2d" (or a number of seconds) in milliseconds. */
function duration(raw) {
  const m = /^(\d{1,7})(s|m|h|d)?$/.exec(String(raw).trim());
  if (!m) throw new InvalidArgumentError("use a duration such as 30m, 24h or 7d");
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "s"];
}

function settings(options) {
  const url = (options.url ?? process.env.RINGBEARER_URL ?? "").replace(/\/+$/, "");
  const token = options.token ?? process.env.RINGBEARER_TOKEN ?? "";
  if (!url)
    throw new CliError(
      "Set RINGBEARER_URL (or --url) to the console's address, e.g. https://console.example",
    );
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError("RINGBEARER_URL is not an address such as https://console.example");
  }
  // The token travels in every request: in clear only to a console on this machine.
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback))
    throw new CliError("RINGBEARER_URL must be https:// (http:// only for a console on this machine)");
  if (!token)
    throw new CliError(
      "Set RINGBEARER_TOKEN (or --token) to a service token (rb_st_…) from the console's Tokens page",
    );
  return { url, token };
}

/** Thrown when the console could not be reached at all (the offline fallback applies), never for a refusal. */
class Unreachable extends Error {}

/** GET a path of the machine API: the body, Unreachable, or a CliError with the console's problem. */
async function request({ url, token }, path, timeoutMs = 15_000) {
  let response;
  try {
    response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}`, "user-agent": `ringbearer-cli/${version}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Unreachable(`the console at ${url} is unreachable (${error.cause?.code ?? error.name})`);
  }
  const body = await response.text();
  if (response.ok) return body;
  if (response.status >= 502) throw new Unreachable(`the console at ${url} answered ${response.status}`);
  let problem = {};
  try {
    problem = JSON.parse(body);
  } catch {}
  const code = problem.code ? ` (${problem.code})` : "";
  // Field errors say what to change (they name keys and fields, never values).
  const details = Object.entries(problem.errors ?? {}).map(
    ([field, messages]) => `\n  ${field}: ${[messages].flat().join("; ")}`,
  );
  throw new CliError(
    `${problem.title ?? `The console answered ${response.status}`}${code}${details.join("")}`,
  );
}

/** One environment's values in a format. */
const readValues = (config, environment, format) =>
  request(config, `/api/v1/environments/${encodeURIComponent(environment)}/values?format=${format}`);

const program = new Command("ringbearer")
  .description("An environment's configuration from the Ringbearer console, for deploy pipelines and apps")
  .version(version)
  .showHelpAfterError()
  .enablePositionalOptions()
  .addOption(new Option("--url <url>", "the console's address").env("RINGBEARER_URL"))
  .addOption(new Option("--token <token>", "a service token (rb_st_…)").env("RINGBEARER_TOKEN"));

program
  .command("export")
  .description("print an environment's values in a format")
  .requiredOption("-e, --env <name>", "the environment, as the console names it")
  .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("dotenv"))
  .action(async (options) => {
    const config = settings(program.opts());
    try {
      process.stdout.write(await readValues(config, options.env, options.format));
    } catch (error) {
      if (error instanceof Unreachable) throw new CliError(`Cannot export: ${error.message}`);
      throw error;
    }
  });

program
  .command("whoami")
  .description("show what the token is: its organization, environments, access and expiry")
  .action(async () => {
    const config = settings(program.opts());
    const body = await request(config, "/api/v1/whoami").catch((error) => {
      throw error instanceof Unreachable ? new CliError(`Cannot ask: ${error.message}`) : error;
    });
    const me = JSON.parse(body);
    const scope = [me.namePrefix && `names ${me.namePrefix}…`, me.tag && `tag ${me.tag}`].filter(Boolean);
    process.stdout.write(
      `token ${me.tokenId}\norganization ${me.organization}\nenvironments ${me.environments.join(", ")}\n` +
        `access ${me.access}${scope.length ? ` (${scope.join(", ")})` : ""}\nexpires ${me.expiresAt}\n`,
    );
  });

program
  .command("envs")
  .description("list the environments the token may read")
  .action(async () => {
    const config = settings(program.opts());
    const body = await request(config, "/api/v1/environments").catch((error) => {
      throw error instanceof Unreachable ? new CliError(`Cannot list: ${error.message}`) : error;
    });
    for (const e of JSON.parse(body).environments) process.stdout.write(`${e.name}\t${e.type}\n`);
  });

program
  .command("get")
  .description("print one value")
  .argument("<key>", "the variable's name")
  .requiredOption("-e, --env <name>", "the environment")
  .action(async (key, options) => {
    const config = settings(program.opts());
    const values = JSON.parse(
      await readValues(config, options.env, "json").catch((error) => {
        throw error instanceof Unreachable ? new CliError(`Cannot read: ${error.message}`) : error;
      }),
    );
    if (!Object.hasOwn(values, key))
      throw new CliError(`${key} has no value in ${options.env} that this token may read`);
    process.stdout.write(`${values[key]}\n`);
  });

program
  .command("run")
  .description("run a command with the environment's values in its environment")
  .requiredOption("-e, --env <name>", "the environment")
  .option(
    "--max-age <duration>",
    "when the console is unreachable, use a snapshot at most this old",
    duration,
    duration("24h"),
  )
  .argument("<command...>", "the command and its arguments, after --")
  .passThroughOptions()
  .action(async (command, options) => {
    const config = settings(program.opts());
    let values;
    try {
      values = JSON.parse(await readValues(config, options.env, "json"));
      try {
        saveSnapshot({ ...config, environment: options.env, values });
      } catch (error) {
        // No snapshot this time (a read-only or full disk): the command still starts, with a word on stderr.
        process.stderr.write(
          `ringbearer: could not keep an offline snapshot (${error.code ?? error.message}).\n`,
        );
      }
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      const snapshot = loadSnapshot({ ...config, environment: options.env });
      if (!snapshot)
        throw new CliError(
          `Cannot start: ${error.message}, and there is no snapshot of ${options.env} for this token.`,
        );
      const age = Date.now() - snapshot.savedAt;
      if (age > options.maxAge)
        throw new CliError(
          `Cannot start: ${error.message}, and the snapshot of ${options.env} is ${ago(age)} old (more than --max-age ${ago(options.maxAge)}).`,
        );
      process.stderr.write(
        `ringbearer: ${error.message}; using the snapshot of ${options.env} from ${ago(age)} ago.\n`,
      );
      values = snapshot.values;
    }
    await runWith(command, values);
  });

const ago = (ms) =>
  ms < 120_000
    ? `${Math.round(ms / 1000)} s`
    : ms < 7_200_000
      ? `${Math.round(ms / 60_000)} min`
      : `${(ms / 3_600_000).toFixed(1)} h`;

/** Starts the command with the values in its environment; forwards signals; exits as it exits. */
function runWith([file, ...args], values) {
  return new Promise(() => {
    const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...values } });
    const forward = (signal) => () => child.kill(signal);
    const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];
    const handlers = signals.map((s) => [s, forward(s)]);
    for (const [s, h] of handlers) process.on(s, h);
    child.on("error", (error) => {
      process.stderr.write(
        `ringbearer: cannot start ${file}: ${error.code === "ENOENT" ? "no such command" : error.message}\n`,
      );
      process.exit(127);
    });
    child.on("exit", (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      if (signal) {
        // Ended by a signal: end the same way, so whoever started us sees it.
        process.kill(process.pid, signal);
        setTimeout(() => process.exit(128 + 1), 1000).unref();
        return;
      }
      process.exit(code ?? 1);
    });
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(
    `ringbearer: ${error instanceof CliError ? error.message : (error?.message ?? String(error))}\n`,
  );
  process.exit(1);
}
