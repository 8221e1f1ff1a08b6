import { execFileSync } from "node:child_process";
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { organizationFileTarget } from "@/lib/targets/file-target";
import { organizationFilePath } from "@/lib/targets/organization-folder";
import { TargetError } from "@/lib/targets/types";

/** File targets of an organization: resolved only inside its own folder, checked at every read and write. */
const SECRET = "targets-test-secret-0123456789";
const dir = mkdtempSync(join(tmpdir(), "ringbearer-org-folder-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a promise rejects with, so tests can assert its code and message together. */
async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe("organizationFilePath", () => {
  const root = join(dir, "targets-root");
  const orgA = "0b8f2c1e-7a3d-4c5e-9f10-aa0000000001";
  const orgB = "0b8f2c1e-7a3d-4c5e-9f10-bb0000000002";
  const folderA = join(root, orgA);
  const folderB = join(root, orgB);
  const outside = join(dir, "outside");
  mkdirSync(outside, { recursive: true });
  const refusal = (organizationId: string, location: string) => {
    try {
      organizationFilePath(root, organizationId, location);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it("resolves inside the organization's own folder (0700) and creates the missing folders", () => {
    const path = organizationFilePath(root, orgA, "shop/production/.env");
    expect(path).toBe(join(folderA, "shop/production/.env"));
    expect(statSync(join(folderA, "shop/production")).isDirectory()).toBe(true);
    expect(statSync(folderA).mode & 0o777).toBe(0o700);
    expect(organizationFilePath(root, orgB, "shop/production/.env")).toBe(
      join(folderB, "shop/production/.env"),
    );
  });

  it.each([
    "../x",
    "/etc/passwd",
    "shop/../../x",
    "..",
    "",
    ".",
    "shop/",
    `../${orgB}/shop/production/.env`,
    join(folderB, "shop/production/.env"),
    "a\\b.env",
    "a\u2215b.env",
    "\uff0e\uff0e/x",
    "x.env\u0000",
  ])("refuses %j (a location outside the allow-list) as refused", (location) => {
    const error = refusal(orgA, location);
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ code: "refused" });
  });

  it("refuses an organization id that is not a lower-case UUID (no folder is ever named from input)", () => {
    for (const id of ["..", "", orgA.toUpperCase(), `${orgA}/..`, "demo"])
      expect(refusal(id, "x.env")).toMatchObject({ code: "refused" });
  });

  it("refuses a symlinked folder escaping the organization's folder, without creating anything outside", () => {
    symlinkSync(outside, join(folderA, "escape"));
    symlinkSync(folderB, join(folderA, "to-b"));
    expect(() => organizationFilePath(root, orgA, "escape/.env")).toThrow(/outside your organization's/);
    expect(() => organizationFilePath(root, orgA, "escape/new/deeper/.env")).toThrow(
      /outside your organization's/,
    );
    expect(() => organizationFilePath(root, orgA, "to-b/shop/production/.env")).toThrow(
      /outside your organization's/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses a target file that is a symlink pointing out, a folder, and an organization folder that is a link", () => {
    writeFileSync(join(outside, "secrets.env"), "A=1\n");
    symlinkSync(join(outside, "secrets.env"), join(folderA, "linked.env"));
    expect(() => organizationFilePath(root, orgA, "linked.env")).toThrow(/outside your organization's/);
    mkdirSync(join(folderA, "a-folder"), { recursive: true });
    expect(() => organizationFilePath(root, orgA, "a-folder")).toThrow(/is a folder/);
    const orgC = "0b8f2c1e-7a3d-4c5e-9f10-cc0000000003";
    symlinkSync(folderB, join(root, orgC));
    expect(() => organizationFilePath(root, orgC, "shop/production/.env")).toThrow(/not a plain folder/);
  });

  it("follows a symlink that stays inside the organization's folder to its real file", () => {
    writeFileSync(join(folderA, "real.env"), "A=1\n");
    symlinkSync(join(folderA, "real.env"), join(folderA, "alias.env"));
    expect(organizationFilePath(root, orgA, "alias.env")).toBe(join(folderA, "real.env"));
  });
});

describe("organizationFileTarget", () => {
  const root = join(dir, "driver-root");
  const org = "0b8f2c1e-7a3d-4c5e-9f10-dd0000000004";
  const target = (location: string) =>
    organizationFileTarget({ root, organizationId: org, location, secret: SECRET });

  it("re-checks the location at every call: a file swapped for a symlink out is refused, not read", async () => {
    const driver = target("web.env");
    await driver.apply({ set: { A: "1" }, delete: [] });
    expect([...(await driver.state()).keys()]).toEqual(["A"]);
    writeFileSync(join(dir, "elsewhere.env"), "OTHER=secret\n");
    rmSync(join(root, org, "web.env"));
    symlinkSync(join(dir, "elsewhere.env"), join(root, org, "web.env"));
    const error = await failure(driver.state());
    expect(error).toMatchObject({ code: "refused" });
    expect(error.message).not.toContain("secret");
    await failure(driver.apply({ set: { A: "2" }, delete: ["OTHER"] }));
    expect(readFileSync(join(dir, "elsewhere.env"), "utf8")).toBe("OTHER=secret\n");
  });

  it("refuses a file with a second hard link, and a named pipe, instead of reading or hanging", async () => {
    writeFileSync(join(dir, "shared.env"), "SHARED=1\n");
    mkdirSync(join(root, org), { recursive: true });
    linkSync(join(dir, "shared.env"), join(root, org, "hard.env"));
    expect(await failure(target("hard.env").values(["SHARED"]))).toMatchObject({
      code: "refused",
      message: expect.stringMatching(/hard links/),
    });
    execFileSync("mkfifo", [join(root, org, "pipe.env")]);
    expect(await failure(target("pipe.env").state())).toMatchObject({ code: "refused" });
  });
});

/** A loopback HTTP server standing in for a receiver that misbehaves. */
