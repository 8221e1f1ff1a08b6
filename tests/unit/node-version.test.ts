import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  atLeast,
  nodeVersionProblem,
  parseVersion,
  requiredFromEngines,
  requiredNode,
} from "@/scripts/node-version.mjs";

describe("the Node.js version check", () => {
  it("compares major, minor and patch as numbers", () => {
    expect(parseVersion("v20.20.2")).toEqual([20, 20, 2]);
    expect(parseVersion("22.12")).toEqual([22, 12, 0]);
    expect(parseVersion("22")).toEqual([22, 0, 0]);
    expect(parseVersion("22.x")).toBeNull();
    expect(atLeast("22.12.0", "22.12")).toBe(true);
    expect(atLeast("22.23.5", "22.12")).toBe(true);
    expect(atLeast("24.1.0", "22.12")).toBe(true);
    expect(atLeast("22.11.9", "22.12")).toBe(false);
    expect(atLeast("22.9.0", "22.12")).toBe(false); // 9 < 12 as numbers, not as text
    expect(atLeast("20.20.2", "22.12")).toBe(false);
    expect(atLeast("v100.0.0", "22.12")).toBe(true);
    expect(() => atLeast("latest", "22.12")).toThrow(/not a Node.js version/);
  });

  it("reads the requirement from package.json's engines.node, which .nvmrc matches", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.engines.node).toBe(">=22.12");
    expect(requiredFromEngines(">=22.12")).toBe("22.12");
    expect(() => requiredFromEngines("^22.12")).toThrow(/engines.node/);
    expect(requiredNode({})).toBe("22.12");
    expect(requiredNode({ RINGBEARER_TEST_REQUIRED_NODE: "99.0" })).toBe("99.0");
    expect(readFileSync(".nvmrc", "utf8").trim()).toBe("22");
  });

  it("says in one line which version is needed and which one this is", () => {
    expect(nodeVersionProblem("v20.20.2", "22.12")).toBe(
      "Ringbearer needs Node.js 22.12 or newer (this is 20.20.2)",
    );
    expect(nodeVersionProblem("22.12.0", "22.12")).toBeNull();
    expect(nodeVersionProblem()).toBeNull(); // the suite itself runs on a Node that Ringbearer accepts
  });
});
