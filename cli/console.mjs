/**
 * How the CLI talks to the console: its address and token (flags, RINGBEARER_URL, RINGBEARER_TOKEN), one request
 * of the machine API, and the two ways one fails — refused by the console (CliError, its problem in words) or not
 * answered at all (Unreachable: the offline fallback applies). It never prints a token or a value.
 */
import { readFileSync } from "node:fs";
import { loadLogin } from "./credentials.mjs";

export const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** A failure the user can act on: its message on stderr, exit code 1. */
export class CliError extends Error {}

/** Thrown when the console could not be reached at all (the offline fallback applies), never for a refusal. */
export class Unreachable extends Error {}

/** The console's address, checked: https (http only on this machine). */
export function consoleUrl(options) {
  const url = (options.url ?? process.env.RINGBEARER_URL ?? "").replace(/\/+$/, "");
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
  return url;
}

/**
 * The console's address and the token: --token or RINGBEARER_TOKEN, else the personal token `ringbearer login` kept
 * for that console while it lasts.
 */
export function settings(options) {
  const url = consoleUrl(options);
  const given = options.token ?? process.env.RINGBEARER_TOKEN ?? "";
  if (given) return { url, token: given };
  const login = loadLogin(url);
  if (!login)
    throw new CliError(
      "Set RINGBEARER_TOKEN (or --token) to a service token (rb_st_…) from the console's Tokens page, or run ringbearer login",
    );
  if (Date.parse(login.expiresAt) <= Date.now())
    throw new CliError(`Your CLI login to ${url} ended at ${login.expiresAt}: run ringbearer login again`);
  return { url, token: login.token };
}

/** The console's problem in words: its title, code and field errors (which name keys and fields, never values). */
function refusal(status, body) {
  let problem = {};
  try {
    problem = JSON.parse(body);
  } catch {}
  const code = problem.code ? ` (${problem.code})` : "";
  const details = Object.entries(problem.errors ?? {}).map(
    ([field, messages]) => `\n  ${field}: ${[messages].flat().join("; ")}`,
  );
  const error = new CliError(
    `${problem.title ?? `The console answered ${status}`}${code}${details.join("")}`,
  );
  error.status = status;
  return error;
}

/**
 * One call of the machine API: `{ status, headers, body }` for a 2xx (and a 304), Unreachable when nothing (or a
 * gateway's 502–504) answered, a CliError with the console's problem otherwise.
 */
export async function call(
  { url, token },
  path,
  { method = "GET", headers = {}, body, timeoutMs = 15_000 } = {},
) {
  let response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "user-agent": `ringbearer-cli/${version}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Unreachable(`the console at ${url} is unreachable (${error.cause?.code ?? error.name})`);
  }
  const text = await response.text();
  if (response.ok || response.status === 304)
    return { status: response.status, headers: response.headers, body: text };
  if (response.status >= 502) throw new Unreachable(`the console at ${url} answered ${response.status}`);
  throw refusal(response.status, text);
}

/** GET a path: its body. */
export const request = async (config, path) => (await call(config, path)).body;

/** A path segment: the environment's or the variable's name, escaped. */
export const segment = (name) => encodeURIComponent(name);

/** One environment's values in a format. */
export const readValues = (config, environment, format) =>
  request(config, `/api/v1/environments/${segment(environment)}/values?format=${format}`);

/** Runs `fn`; a console that did not answer becomes a CliError saying what could not be done. */
export async function online(what, fn) {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof Unreachable ? new CliError(`${what}: ${error.message}`) : error;
  }
}
