/**
 * The first big import into a freshly migrated database (review finding: over 10 minutes for 10,000 lines): a new
 * database on the bench's server, migrated and never analysed, an organization, a few small edits on the one
 * connection (as a console session makes before its first big import: the triggers' plans are made then, on
 * nearly empty tables), then 10,000 new keys imported (preview + apply), timed. A new database for every run.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { environments } from "@/db/schema";
import { type ThrowawayDatabase, throwawayDatabase } from "../throwaway-db.mts";
import type { Record, Result } from "./measure.mts";

export const FRESH_IMPORT = "import 10,000 .env lines into a freshly migrated database (first import)";

export async function benchFreshImport(opts: {
  adminUrl: string;
  masterKey: string;
  lines: number;
  runs: number;
  record: Record;
  into: Result[];
}) {
  const { createDb } = await import("@/db/client");
  const { withContext } = await import("@/db/context");
  const { createOrganization } = await import("@/server/organizations/organizations");
  const { createUser } = await import("@/server/auth/users");
  const { applyImport, previewImport } = await import("@/server/values/dotenv-import");
  let current: { db: ThrowawayDatabase; app: Database } | undefined;
  let run: (() => Promise<void>) | undefined;
  const release = async () => {
    await current?.app.$client.end({ timeout: 5 });
    await current?.db.drop();
    current = undefined;
  };
  const importText = (text: string, ctx: Parameters<typeof previewImport>[1], environmentId: string) =>
    withContext(ctx, (tx) => previewImport(tx, ctx, environmentId, text), current?.app).then((preview) =>
      withContext(
        ctx,
        (tx) => applyImport(tx, ctx, { environmentId, text, expected: preview.expected }),
        current?.app,
      ),
    );
  const prepare = async () => {
    await release();
    const db = await throwawayDatabase({
      adminUrl: opts.adminUrl,
      prefix: "rb_fresh",
      masterKey: opts.masterKey,
    });
    const app = createDb(db.databaseUrl, { max: 1 });
    current = { db, app };
    const owner = await createUser(app, {
      email: "fresh@bench.test",
      name: "Fresh",
      password: "bench-password-123",
    });
    const org = await createOrganization(app, {
      slug: "fresh",
      name: "Fresh Weddings",
      timeZone: "Europe/London",
      ownerId: owner.id,
      defaultWindow: false,
    });
    const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
    const [env] = await withContext(
      ctx,
      (tx) =>
        tx
          .select({ id: environments.id })
          .from(environments)
          .where(and(eq(environments.organizationId, org.id), eq(environments.name, "development"))),
      app,
    );
    for (let i = 0; i < 6; i++) await importText(`EARLY_${i}=first\nEARLY_${i}_B=first`, ctx, env.id);
    const text = `${Array.from({ length: opts.lines }, (_, i) => `KEY_${String(i).padStart(5, "0")}=fresh-${i}`).join("\n")}\n`;
    run = async () => {
      await importText(text, ctx, env.id);
    };
  };
  try {
    await opts.record(FRESH_IMPORT, opts.runs, () => (run as () => Promise<void>)(), 30_000, {
      prepare,
      into: opts.into,
    });
  } finally {
    await release();
  }
}
