import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Files stay small and named for what they hold: past 300 lines a file is split by responsibility, unless its
 * first lines say why it is not ("Longer than 300 lines: …").
 */
const LIMIT = 300;
const ROOTS = ["app", "components", "db", "lib", "server", "scripts", "tests", "e2e"];
const SOURCE = /\.(ts|tsx|mts|mjs|cjs)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : SOURCE.test(name) ? [full] : [];
  });
}

describe("file size", () => {
  it(`no source or test file is longer than ${LIMIT} lines without a reason at its top`, () => {
    const long = ROOTS.flatMap(files).flatMap((file) => {
      const lines = readFileSync(file, "utf8").split("\n");
      const explained = lines.slice(0, 12).some((line) => line.includes(`Longer than ${LIMIT} lines:`));
      return lines.length > LIMIT && !explained ? [`${file}: ${lines.length} lines`] : [];
    });
    expect(long).toEqual([]);
  });
});
