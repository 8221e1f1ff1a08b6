#!/usr/bin/env node
/**
 * `ringbearer`: an environment's configuration for deploy pipelines and apps, read with a service token
 * (docs/cli.md). Plain JavaScript with one dependency (commander), so it starts fast; it calls nothing but the
 * console, and never prints a token.
 */
import { Command, Option } from "commander";
import { diffEnvironments, setValue } from "./changes.mjs";
import {
  CliError,
  call,
  online,
  readValues,
  request,
  segment,
  settings,
  Unreachable,
  version,
} from "./console.mjs";
import { login, logout } from "./login.mjs";
import { openExportFile } from "./open-export.mjs";
import { ago, duration, runWith } from "./run-command.mjs";
import { loadSnapshot, saveSnapshot } from "./snapshot.mjs";

const FORMATS = ["dotenv", "json", "yaml", "shell", "docker"];

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
    process.stdout.write(
      await online("Cannot export", () => readValues(config, options.env, options.format)),
    );
  });

program
  .command("login")
  .description("sign this CLI in: approve its code in the console for a 12-hour personal token")
  .option("--name <machine>", "how the console names this machine (default: its hostname)")
  .action(async (options) => {
    const kept = await online("Cannot sign in", () => login({ ...program.opts(), name: options.name }));
    process.stdout.write(
      `Signed in to ${kept.organization}: ${kept.access} on ${kept.environments.join(", ")}, until ${kept.expiresAt}\n`,
    );
  });

program
  .command("logout")
  .description("revoke this CLI's personal token and forget it")
  .action(async () => {
    process.stdout.write(`${await logout(program.opts())}\n`);
  });

program
  .command("whoami")
  .description("show what the token is: its organization, environments, access and expiry")
  .action(async () => {
    const config = settings(program.opts());
    const body = await online("Cannot ask", () => request(config, "/api/v1/whoami"));
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
    const body = await online("Cannot list", () => request(config, "/api/v1/environments"));
    for (const e of JSON.parse(body).environments) process.stdout.write(`${e.name}\t${e.type}\n`);
  });

program
  .command("get")
  .description("print one value")
  .argument("<key>", "the variable's name")
  .requiredOption("-e, --env <name>", "the environment")
  .action(async (key, options) => {
    const config = settings(program.opts());
    const path = `/api/v1/environments/${segment(options.env)}/values/${segment(key)}`;
    const answer = await online("Cannot read", () => call(config, path)).catch((error) => {
      if (error.status === 404)
        throw new CliError(`${key} has no value in ${options.env} that this token may read`);
      throw error;
    });
    process.stdout.write(`${JSON.parse(answer.body).value}\n`);
  });

program
  .command("set")
  .description("set one value (a read-write token): KEY=value, or KEY with the value on stdin")
  .argument(
    "<assignment>",
    "KEY=value, or KEY alone to read the value from stdin (kept out of shell history)",
  )
  .requiredOption("-e, --env <name>", "the environment")
  .option("-m, --note <text>", "why (the change request's reason when it waits for a reviewer)")
  .action(async (assignment, options) => {
    const config = settings(program.opts());
    const at = assignment.indexOf("=");
    const key = at === -1 ? assignment : assignment.slice(0, at);
    const value = at === -1 ? await valueFromStdin(key) : assignment.slice(at + 1);
    const outcome = await online("Cannot set", () =>
      setValue(config, { environment: options.env, key, value, note: options.note }),
    );
    if (outcome.status === "requested")
      process.stdout.write(
        `${key}: a ${outcome.changeRequest.riskLevel} change in ${options.env}; it waits for a reviewer: ${config.url}${outcome.changeRequest.url}\n`,
      );
    else process.stdout.write(`${key} set in ${options.env} (version ${outcome.version})\n`);
  });

program
  .command("diff")
  .description("compare two environments: keys only one has and keys whose values differ (names only)")
  .requiredOption("-e, --env <name...>", "the two environments: --env staging --env production")
  .option("--show-values", "print the values too (they are secrets: mind where the output goes)")
  .option("--exit-code", "exit 2 when they differ (1 stays for errors)")
  .action(async (options) => {
    if (options.env.length !== 2) throw new CliError("Name two environments: --env staging --env production");
    const config = settings(program.opts());
    const { lines, differences, compared } = await online("Cannot compare", () =>
      diffEnvironments(config, options.env, { showValues: options.showValues }),
    );
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stderr.write(
      differences === 0
        ? `${options.env.join(" and ")}: the same ${compared} keys and values\n`
        : `${differences} of ${compared} keys differ\n`,
    );
    if (options.exitCode && differences > 0) process.exitCode = 2;
  });

/** The value `set KEY` reads from stdin (a pipe or a file), without its final line break. */
async function valueFromStdin(key) {
  if (process.stdin.isTTY)
    throw new CliError(
      `Give ${key}=value, or pipe the value in: printf %s "$VALUE" | ringbearer set ${key} --env …`,
    );
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

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

program
  .command("open-export")
  .description(
    "open a values export sealed in the console (Settings → Export) and print its JSON; the passphrase is typed, piped on stdin, or in RINGBEARER_EXPORT_PASSPHRASE",
  )
  .argument("<file>", "the downloaded .sealed.json file")
  .action(async (file) => {
    process.stdout.write(`${await openExportFile(file)}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(
    `ringbearer: ${error instanceof CliError ? error.message : (error?.message ?? String(error))}\n`,
  );
  process.exit(1);
}
