import { describe, expect, it } from "vitest";
import { describeError } from "@/lib/errors";
import { type MasterKeyStatus, masterKeyProblem } from "@/lib/master-key-check";

const status = (s: Partial<MasterKeyStatus>): MasterKeyStatus => ({
  matchingKeys: true,
  otherFingerprints: [],
  verifier: "match",
  ...s,
});

describe("the master key check at start", () => {
  it("accepts the key the database's keys were made with, and a database with no keys or verifier yet", () => {
    expect(masterKeyProblem(status({}), "aaaa", { migrating: false })).toBeNull();
    expect(
      masterKeyProblem(status({ matchingKeys: false, verifier: "absent" }), "aaaa", { migrating: false }),
    ).toBeNull();
  });

  it("refuses keys wrapped by another master key, naming both fingerprints", () => {
    const problem = masterKeyProblem(status({ matchingKeys: false, otherFingerprints: ["bbbb"] }), "aaaa", {
      migrating: true,
    });
    expect(problem).toMatch(/does not match this database: its encryption keys .* fingerprint bbbb.* aaaa/);
    expect(masterKeyProblem(status({ otherFingerprints: ["bbbb"] }), "aaaa", { migrating: false })).toMatch(
      /some of its encryption keys/,
    );
  });

  it("refuses a job runner registered by another key, unless the keys prove this one and the caller migrates", () => {
    const stale = status({ verifier: "mismatch" });
    expect(masterKeyProblem(stale, "aaaa", { migrating: true })).toBeNull(); // migrate registers it again
    expect(masterKeyProblem(stale, "aaaa", { migrating: false })).toMatch(/stale.*npm run db:migrate/);
    const other = status({ matchingKeys: false, verifier: "mismatch" });
    expect(masterKeyProblem(other, "aaaa", { migrating: true })).toMatch(
      /job runner's key .* another master key/,
    );
  });
});

describe("describeError", () => {
  it("gives one readable line for anything thrown or emitted, never 'undefined' or '[object Object]'", () => {
    expect(describeError(new Error("boom"))).toBe("boom");
    expect(describeError({ message: "Queue x does not exist", stack: "…" })).toBe("Queue x does not exist");
    expect(describeError({ code: "ECONNREFUSED" })).toBe("error ECONNREFUSED");
    expect(describeError("plain")).toBe("plain");
    for (const nothing of [undefined, null, {}, new Error(""), 42])
      expect(describeError(nothing)).not.toMatch(/undefined|\[object Object\]|^$/);
  });
});
