/**
 * `ringbearer login` and `logout` (docs/cli.md): RFC 8628 device authorization against the console. The person opens
 * the address shown, checks the code and approves it; the CLI polls until it receives a personal token, which it
 * keeps for that console (credentials.mjs). Nothing opens a browser or calls anything but the console.
 */
import { hostname } from "node:os";
import { CliError, call, consoleUrl, Unreachable } from "./console.mjs";
import { forgetLogin, loadLogin, saveLogin } from "./credentials.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function login(options, say = (line) => process.stderr.write(`${line}\n`)) {
  const url = consoleUrl(options);
  const config = { url, token: "" };
  const started = JSON.parse(
    (
      await call(config, "/api/v1/cli/login", {
        method: "POST",
        body: { client: options.name ?? hostname() },
      })
    ).body,
  );
  say(`To sign this CLI in, open ${started.verificationUriComplete}`);
  say(`and check that the console shows the code ${started.userCode}. Waiting for your approval…`);
  let interval = started.interval * 1000;
  const ends = Date.now() + started.expiresIn * 1000;
  while (Date.now() < ends) {
    await sleep(interval);
    let polled;
    try {
      polled = JSON.parse(
        (
          await call(config, "/api/v1/cli/login/token", {
            method: "POST",
            body: { deviceCode: started.deviceCode },
          })
        ).body,
      );
    } catch (error) {
      // Too soon (slow_down): wait longer from now on. A console that went away for a moment: try again.
      if (error.status === 429) interval += 5_000;
      else if (!(error instanceof Unreachable)) throw error;
      continue;
    }
    if (polled.status === "pending") continue;
    if (polled.status === "denied") throw new CliError("The login was denied in the console.");
    if (polled.status === "expired")
      throw new CliError("The login ended before it was approved: run ringbearer login again.");
    const { token, ...kept } = polled;
    saveLogin(url, {
      token,
      organization: kept.organization,
      environments: kept.environments,
      access: kept.access,
      expiresAt: kept.expiresAt,
    });
    return kept;
  }
  throw new CliError("The login ended before it was approved: run ringbearer login again.");
}

/** Revokes the kept personal token in the console and forgets it; forgets it anyway when the console is away. */
export async function logout(options) {
  const url = consoleUrl(options);
  const kept = loadLogin(url);
  if (!kept) return "not signed in";
  try {
    await call({ url, token: kept.token }, "/api/v1/whoami", { method: "DELETE" });
  } catch (error) {
    // Revoked or ended already: nothing to undo. Unreachable: forgotten here, it still works until it ends.
    if (error instanceof Unreachable) {
      forgetLogin(url);
      return `forgotten here; the console was unreachable, so the token works until ${kept.expiresAt} unless revoked on the Tokens page`;
    }
    if (error.status !== 401) throw error;
  }
  forgetLogin(url);
  return "signed out: the token is revoked";
}
