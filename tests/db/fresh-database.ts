import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

export const APP_ROLE = "rb_test_app";
const OWNER_ROLE = "rb_test_owner";

export type FreshDatabase = { name: string; ownerUrl: string; appUrl: string; drop: () => Promise<void> };

/**
 * An empty database beside the suite's own, owned by the suite's owner role (nothing migrated): for tests that
 * migrate, roll back or race on a database of their own without disturbing the shared one.
 */
export async function freshDatabase(label: string): Promise<FreshDatabase> {
  const name = `rb_test_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(inject("superUrl"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" owner "${OWNER_ROLE}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const on = (url: string) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    name,
    ownerUrl: on(inject("ownerUrl")),
    appUrl: on(inject("databaseUrl")),
    drop: async () => {
      const s = postgres(inject("superUrl"), { max: 1, onnotice: () => {} });
      await s.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await s.end({ timeout: 5 });
    },
  };
}
