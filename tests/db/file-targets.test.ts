import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { configurationDrift, syncTargets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type TargetInput, type TargetSettings, targetInput, targetSettings } from "@/lib/validation/targets";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { createTarget, testTarget } from "@/server/targets/sync-targets";
import { updateTarget } from "@/server/targets/target-settings";
import { makeOrg, type TestOrg } from "./support";
import { variableWithValue } from "./target-fixture";

/**
 * Finding 1: each organization's `.env` file targets live under a folder of its own, and no spelling of a
 * location — nor a symlink or hard link an operator left behind — lets organization B read, overwrite or
 * delete organization A's deployed file.
 */

const LOCATION = "web/production.env";
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const locationRefused = (e: unknown) =>
  isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.location);

let root: string;
let previousRoot: string | undefined;
let victim: TestOrg;
let attacker: TestOrg;
let victimTarget: string;
/** A's deployed file as A's own push wrote it, byte for byte. */
let victimBytes: Buffer | undefined;
const victimFile = () => path.join(root, victim.id, LOCATION);

const fileInput = (
  org: TestOrg,
  name: string,
  location: string,
  more: Partial<TargetInput> = {},
): TargetInput => ({
  environmentId: org.env.staging,
  name,
  kind: "dotenv_file",
  location,
  deleteUnmanaged: true,
  autoPush: false,
  scanIntervalMinutes: 15,
  ...more,
});

const addFileTarget = (org: TestOrg, name: string, location: string) =>
  withContext(org.owner, (tx) => createTarget(tx, org.owner, fileInput(org, name, location))).then(
    (t) => t.id,
  );

/** B's drift rows that name one of A's keys: what B could adopt, and then reveal. */
const attackerSeesVictimKeys = () =>
  withContext(attacker.owner, (tx) =>
    tx
      .select({ name: configurationDrift.variableName })
      .from(configurationDrift)
      .where(
        and(
          eq(configurationDrift.organizationId, attacker.id),
          like(configurationDrift.variableName, "A_ONLY_%"),
        ),
      ),
  );

/** A's file is still there, unchanged, and A's own scan finds nothing missing or different. */
async function expectVictimIntact() {
  const scan = await scanTarget(victim.owner, victimTarget);
  expect(scan).toMatchObject({ ok: true, open: 0 });
  expect(existsSync(victimFile())).toBe(true);
  expect(readFileSync(victimFile()).equals(victimBytes ?? Buffer.alloc(0))).toBe(true);
  expect(await attackerSeesVictimKeys()).toEqual([]);
}

/** Every way B tries to name A's file (or escape its own folder); each must be refused with a field error. */
const SPELLINGS: Record<string, (a: string) => string> = {
  "dot-dot into A's folder": (a) => `../${a}/${LOCATION}`,
  "dot-dot deeper": (a) => `web/../../${a}/${LOCATION}`,
  "dot-dot upper-case id": (a) => `../${a.toUpperCase()}/${LOCATION}`,
  "absolute path to A's file": (a) => path.join(root, a, LOCATION),
  "absolute path from the shared root": (a) => `/${a}/${LOCATION}`,
  "trailing slash": () => `${LOCATION}/`,
  "empty segment": () => "web//production.env",
  "dot segment": () => `./${LOCATION}`,
  "percent-encoded dots": (a) => `%2e%2e/${a}/${LOCATION}`,
  "percent-encoded slash": (a) => `..%2f${a}%2f${LOCATION}`,
  backslashes: (a) => `..\\${a}\\web\\production.env`,
  "division slash U+2215": (a) => `..\u2215${a}\u2215web\u2215production.env`,
  "fullwidth dots and slash": (a) => `\uff0e\uff0e\uff0f${a}\uff0f${LOCATION}`,
  "one-dot leaders U+2024": (a) => `\u2024\u2024/${a}/${LOCATION}`,
  "combining accent (not ASCII)": () => "web/productio\u0301n.env",
  "NUL byte": () => `${LOCATION}\u0000`,
  "NUL then dot-dot": (a) => `web\u0000/../../${a}/${LOCATION}`,
};
const HOWS = Object.keys(SPELLINGS);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "rb-file-targets-"));
  previousRoot = process.env.RINGBEARER_SYNC_FILE_ROOT;
  process.env.RINGBEARER_SYNC_FILE_ROOT = root;
  victim = await makeOrg();
  attacker = await makeOrg();
  await variableWithValue(victim, victim.env.staging, "A_ONLY_STRIPE_KEY", "sk_live_victim_only_1");
  await variableWithValue(victim, victim.env.staging, "A_ONLY_DATABASE_URL", "postgres://victim@db/prod");
  await variableWithValue(attacker, attacker.env.staging, "B_FEATURE_FLAGS", "attacker");
  victimTarget = await addFileTarget(victim, "web", LOCATION);
  expect(await pushToTarget(victim.owner, { targetId: victimTarget })).toMatchObject({
    status: "completed",
    set: 2,
  });
});

afterAll(async () => {
  process.env.RINGBEARER_SYNC_FILE_ROOT = previousRoot;
  await rm(root, { recursive: true, force: true });
});

describe("each organization's file targets live in a folder of its own", () => {
  it("writes A's file under <root>/<A's id>/, in folders only the server's user can open", async () => {
    expect(existsSync(victimFile())).toBe(true);
    expect(statSync(path.join(root, victim.id)).mode & 0o777).toBe(0o700);
    expect(statSync(victimFile()).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(root, LOCATION))).toBe(false);
    victimBytes = readFileSync(victimFile());
    expect(victimBytes.toString()).toContain("A_ONLY_STRIPE_KEY=");
  });

  it("B naming the very same location (or a case variant) gets a file in its own folder, never A's", async () => {
    for (const [name, location] of [
      ["same", LOCATION],
      ["upper", LOCATION.toUpperCase()],
      ["mixed", "Web/Production.env"],
    ]) {
      const id = await addFileTarget(attacker, name, location);
      expect(await testTarget(attacker.owner, id)).toEqual({
        ok: true,
        message: "Connected: 0 key(s) deployed",
      });
      const scan = await scanTarget(attacker.owner, id);
      expect(scan.ok).toBe(true);
      // deleteUnmanaged is on: on a shared file this push would delete A's keys.
      expect(await pushToTarget(attacker.owner, { targetId: id })).toMatchObject({
        status: "completed",
        set: 1,
      });
      expect(readFileSync(path.join(root, attacker.id, location), "utf8")).toBe("B_FEATURE_FLAGS=attacker\n");
      await expectVictimIntact();
    }
  });

  it.each(HOWS)("refuses a new target at a location spelled with %s", async (how) => {
    const location = SPELLINGS[how](victim.id);
    // The form refuses it next to the field…
    const parsed = targetInput.safeParse({
      ...fileInput(attacker, "x", location),
      scanIntervalMinutes: "15",
    });
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain("location");
    // …and so does the database layer, for a caller that skips the form.
    await expect(
      withContext(attacker.owner, (tx) =>
        createTarget(tx, attacker.owner, fileInput(attacker, "evil", location)),
      ),
    ).rejects.toSatisfy(locationRefused);
    await expectVictimIntact();
  });

  it.each(HOWS)("refuses moving a target to a location spelled with %s", async (how) => {
    const location = SPELLINGS[how](victim.id);
    const id = await addFileTarget(attacker, `move-${HOWS.indexOf(how)}`, `own-${HOWS.indexOf(how)}.env`);
    const [row] = await withContext(attacker.owner, (tx) =>
      tx.select().from(syncTargets).where(eq(syncTargets.id, id)),
    );
    const input: TargetSettings = {
      id,
      version: row.version,
      name: row.name,
      kind: "dotenv_file",
      location,
      deleteUnmanaged: true,
      autoPush: false,
      scanIntervalMinutes: 15,
    };
    const parsed = targetSettings.safeParse({
      ...input,
      version: String(row.version),
      scanIntervalMinutes: "15",
    });
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain("location");
    await expect(
      withContext(attacker.owner, (tx) => updateTarget(tx, attacker.owner, input)),
    ).rejects.toSatisfy(locationRefused);
    await expectVictimIntact();
  });
});

describe("links an operator left in B's folder are refused when the target is opened", () => {
  const attackerRoot = () => path.join(root, attacker.id);

  it("refuses at save a symlink in B's folder pointing at A's file or A's folder", async () => {
    mkdirSync(attackerRoot(), { recursive: true });
    symlinkSync(victimFile(), path.join(attackerRoot(), "link.env"));
    symlinkSync(path.join(root, victim.id, "web"), path.join(attackerRoot(), "linkdir"));
    for (const location of ["link.env", "linkdir/production.env", "linkdir/new/deeper.env"]) {
      await expect(addFileTarget(attacker, "linked", location)).rejects.toSatisfy(locationRefused);
    }
    expect(existsSync(path.join(root, victim.id, "web", "new"))).toBe(false);
    await expectVictimIntact();
  });

  it("a target whose file became a symlink, hard link or linked folder is refused on test, scan and push", async () => {
    const links = {
      symlink: (file: string) => symlinkSync(victimFile(), file),
      "hard link": (file: string) => linkSync(victimFile(), file),
    };
    for (const [kind, link] of Object.entries(links)) {
      const location = `later-${kind.replace(" ", "-")}.env`;
      const id = await addFileTarget(attacker, `later-${kind.replace(" ", "-")}`, location);
      link(path.join(attackerRoot(), location));
      const tested = await testTarget(attacker.owner, id);
      expect(tested.ok).toBe(false);
      expect(tested.message).toMatch(/refused|link|outside/i);
      const scanned = await scanTarget(attacker.owner, id);
      expect(scanned.ok).toBe(false);
      const pushed = await pushToTarget(attacker.owner, { targetId: id });
      expect(pushed.status).toBe("failed");
      if (kind === "hard link") {
        // A's own scan refuses too while its file has a second name; once the operator removes it, A is whole.
        expect(await scanTarget(victim.owner, victimTarget)).toMatchObject({ ok: false });
        rmSync(path.join(attackerRoot(), location));
      }
      await expectVictimIntact();
    }
    // A folder of B's replaced by a symlink into A's folder after the target was saved.
    const id = await addFileTarget(attacker, "moved-folder", "moved/production.env");
    rmSync(path.join(attackerRoot(), "moved"), { recursive: true });
    symlinkSync(path.join(root, victim.id, "web"), path.join(attackerRoot(), "moved"));
    expect((await scanTarget(attacker.owner, id)).ok).toBe(false);
    expect((await pushToTarget(attacker.owner, { targetId: id })).status).toBe("failed");
    await expectVictimIntact();
  });

  it("an organization whose whole folder is a symlink to A's folder reaches nothing", async () => {
    const third = await makeOrg();
    await variableWithValue(third, third.env.staging, "C_FLAGS", "third");
    const before = await addFileTarget(third, "before", LOCATION);
    rmSync(path.join(root, third.id), { recursive: true, force: true });
    symlinkSync(path.join(root, victim.id), path.join(root, third.id));
    await expect(addFileTarget(third, "after", LOCATION)).rejects.toSatisfy(locationRefused);
    expect((await testTarget(third.owner, before)).ok).toBe(false);
    expect((await scanTarget(third.owner, before)).ok).toBe(false);
    expect((await pushToTarget(third.owner, { targetId: before })).status).toBe("failed");
    await expectVictimIntact();
  });
});

describe("a location saved before this check", () => {
  it("is re-checked when the target is opened: a refused one fails the scan and push with a clear message", async () => {
    const id = await addFileTarget(attacker, "legacy", "legacy.env");
    // As an install from before the per-organization folders might hold it (or raw SQL as the owner).
    await withContext(attacker.owner, (tx) =>
      tx
        .update(syncTargets)
        .set({ location: `../${victim.id}/${LOCATION}` })
        .where(and(eq(syncTargets.id, id), isNull(syncTargets.lastScanAt))),
    );
    const scanned = await scanTarget(attacker.owner, id);
    expect(scanned).toMatchObject({ ok: false });
    expect(scanned.message).toMatch(/\.\./);
    const pushed = await pushToTarget(attacker.owner, { targetId: id });
    expect(pushed.status).toBe("failed");
    await expectVictimIntact();
  });
});
