/**
 * The alert rules fed by what the job gathers beyond PostgreSQL's figures (issue 17): each organization's
 * deployment targets and integrations, the day's table sizes, and the backups `npm run backup` records. Each is
 * raised by its planted condition and cleared after.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { integrationCreation } from "@/lib/validation/integrations";
import { createIntegration } from "@/server/integrations/integrations";
import { alertsOverview, evaluateAlerts } from "@/server/ops/alerts";
import { opsFixture } from "./ops-fixture";
import { addHttpTarget } from "./target-fixture";

const fx = opsFixture();
const { su, threshold, resetThresholds, open } = fx;

describe("an organization's rules", () => {
  it("raise a target scanned late and an unhealthy integration, by organization, and clear them after", async () => {
    const target = await addHttpTarget(fx.org, {
      environmentId: fx.org.env.staging,
      name: "ops-late",
      location: "http://127.0.0.1:9/ops",
    });
    const integration = await withContext(fx.org.owner, async (tx) =>
      createIntegration(
        tx,
        fx.org.owner,
        await integrationCreation.parseAsync({
          isActive: "on",
          platform: "stripe",
          configType: "api_key",
          environment: "staging",
          name: "Payments",
        }),
      ),
    );
    // Planted: the last scan two hours ago (every 15 minutes is due), the last health check unhealthy.
    await su`update sync_targets set last_scan_at = now() - interval '2 hours' where id = ${target}`;
    await su`update integration_configs set health_status = 'unhealthy' where id = ${integration.id}`;
    await evaluateAlerts();
    const mine = async () =>
      (await alertsOverview({ userId: fx.operator.userId })).open.filter((a) => a.subject === fx.org.id);
    expect((await mine()).map((a) => a.rule).sort()).toEqual(["integration_unhealthy", "scans_overdue"]);
    expect((await mine()).find((a) => a.rule === "scans_overdue")?.message).toMatch(
      /: 1 deployment target\(s\) not scanned on schedule/,
    );
    await su`update sync_targets set last_scan_at = now() where id = ${target}`;
    await su`update integration_configs set health_status = 'healthy' where id = ${integration.id}`;
    await evaluateAlerts();
    expect(await mine()).toEqual([]);
  });
});

describe("table growth", () => {
  it("takes the day's table sizes once, and raises the database's growth from one day to the next", async () => {
    await su`delete from ops_table_snapshots`;
    await evaluateAlerts();
    const count = async () =>
      (
        await su<{ n: number }[]>`select count(*)::int as n from ops_table_snapshots where day = current_date`
      )[0].n;
    const taken = await count();
    expect(taken).toBeGreaterThan(40);
    // Planted: yesterday the database was a tenth of today's size.
    await su`insert into ops_table_snapshots
             select current_date - 1, schema_name, table_name, total_bytes / 10, estimated_rows
               from ops_table_snapshots where day = current_date`;
    await evaluateAlerts();
    expect(await open()).toContain("disk_growth:");
    const [alert] = (await alertsOverview({ userId: fx.operator.userId })).open.filter(
      (a) => a.rule === "disk_growth",
    );
    expect(alert.message).toMatch(/^The database grew \d+ % in a day \(/);
    expect(await count()).toBe(taken); // one snapshot a day, not one per evaluation
    await su`delete from ops_table_snapshots where day = current_date - 1`;
    await evaluateAlerts();
    expect(await open()).not.toContain("disk_growth:");
  });
});

describe("backups", () => {
  it("are recorded by npm run backup, and a failed or stale one raises its alert until the next good one", {
    timeout: 180_000,
  }, async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "rb-ops-backup-"));
    const backup = () =>
      spawnSync(
        process.execPath,
        [
          "node_modules/tsx/dist/cli.mjs",
          "scripts/backup.mts",
          "--out",
          path.join(out, randomBytes(3).toString("hex")),
        ],
        {
          encoding: "utf8",
          timeout: 150_000,
          env: {
            NODE_ENV: "test",
            PATH: process.env.PATH,
            DATABASE_URL: inject("databaseUrl"),
            DATABASE_OWNER_URL: inject("ownerUrl"),
          },
        },
      );
    try {
      const first = backup();
      expect(first.status, first.stderr).toBe(0);
      const [last] = await su<{ ok: boolean; folder: string; tables: number }[]>`
        select ok, folder, tables from ops_backups order by finished_at desc limit 1`;
      expect(last).toMatchObject({ ok: true, tables: expect.any(Number) });
      expect(last.folder).toMatch(/^[0-9a-f]{6}$/); // the folder's own name, no path
      await su`insert into ops_backups (ok, folder, detail) values (false, 'planted', 'disk full')`;
      await threshold("backup_overdue", 0);
      await evaluateAlerts();
      expect(await open()).toEqual(expect.arrayContaining(["backup_failed:", "backup_overdue:"]));
      await resetThresholds();
      expect(backup().status).toBe(0);
      await evaluateAlerts();
      const left = await open();
      expect(left).not.toContain("backup_failed:");
      expect(left).not.toContain("backup_overdue:");
    } finally {
      await resetThresholds();
      await rm(out, { recursive: true, force: true });
    }
  });
});
