import { stringify as stringifyYaml } from "yaml";
import { serializeDotenv, serializeJson } from "./dotenv";
import { VARIABLE_NAME } from "./validation/variables";

/**
 * One environment's values in the formats a machine reads them (the API's `?format=`, the CLI's `export
 * --format`). Each output reads back to exactly the values given, in the tool it is meant for; a value a format
 * cannot carry (a newline in Docker's `--env-file`) is refused, never mangled.
 */
export const VALUE_FORMATS = ["json", "dotenv", "yaml", "shell", "docker"] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

type Entry = { key: string; value: string };

export const CONTENT_TYPES: Record<ValueFormat, string> = {
  json: "application/json; charset=utf-8",
  dotenv: "text/plain; charset=utf-8",
  yaml: "application/yaml; charset=utf-8",
  shell: "text/x-shellscript; charset=utf-8",
  docker: "text/plain; charset=utf-8",
};

/** A value a format cannot carry: the keys, never the values. */
export class UnrepresentableError extends Error {
  constructor(
    readonly format: ValueFormat,
    readonly keys: string[],
  ) {
    super(`${format} cannot carry a line break: ${keys.join(", ")}`);
    this.name = "UnrepresentableError";
  }
}

/**
 * YAML (the `yaml` library): a mapping whose keys and values are all double-quoted, so no reader — YAML 1.1's
 * included — takes `NO`, `on` or `0x1F` for anything but the string it is.
 */
const yaml = (entries: Entry[]) =>
  entries.length === 0
    ? "{}\n"
    : stringifyYaml(Object.fromEntries(entries.map((e) => [e.key, e.value])), {
        defaultKeyType: "QUOTE_DOUBLE",
        defaultStringType: "QUOTE_DOUBLE",
        lineWidth: 0,
      });

/** `export KEY='value'`: single quotes expand nothing in sh; a quote inside is closed, escaped and reopened. */
const shell = (entries: Entry[]) =>
  entries.map(({ key, value }) => `export ${key}='${value.replace(/'/g, `'\\''`)}'\n`).join("");

/** Docker's `--env-file`: `KEY=value`, taken literally to the end of the line, so a line break cannot be carried. */
function docker(entries: Entry[]) {
  const broken = entries.filter((e) => /[\r\n]/.test(e.value)).map((e) => e.key);
  if (broken.length > 0) throw new UnrepresentableError("docker", broken);
  return entries.map(({ key, value }) => `${key}=${value}\n`).join("");
}

/** The values as `format`. Every key must be a variable name (UPPER_SNAKE_CASE): a shell line is built from it. */
export function formatValues(entries: Entry[], format: ValueFormat): string {
  const bad = entries.find((e) => !VARIABLE_NAME.test(e.key));
  if (bad) throw new Error(`"${bad.key}" is not an UPPER_SNAKE_CASE variable name`);
  switch (format) {
    case "json":
      return serializeJson(entries);
    case "dotenv":
      return serializeDotenv(entries);
    case "yaml":
      return yaml(entries);
    case "shell":
      return shell(entries);
    case "docker":
      return docker(entries);
  }
}

/**
 * Responses that carry values: never kept by a cache between, and never HTTP-compressed (`no-transform` turns the
 * server's gzip off for them). Compressing secrets in one response with text a client chooses is what BREACH
 * reads, secrets barely compress, and an answer of 100,000 values costs about 30 ms of gzip on every read.
 */
export const VALUE_CACHE_CONTROL = "no-store, no-transform";
