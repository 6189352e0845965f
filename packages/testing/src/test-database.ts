import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migratedTemplate } from "./template-database.ts";

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh, migrated database of its own for one test file, cloned from a migrated template; drop() removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `anura_test_${randomBytes(5).toString("hex")}`;
  const adminUrl = new URL(ADMIN_DATABASE_URL);
  adminUrl.pathname = "/postgres";
  const clone = async (recheck: boolean) => {
    const template = await migratedTemplate(adminUrl.toString(), { recheck });
    await withAdmin(adminUrl, (admin) => admin.unsafe(`create database "${name}" template "${template}"`));
  };
  // A run on other migrations (another checkout) may have replaced the template since we looked.
  await clone(false).catch((error: { code?: string }) => {
    if (error.code !== "3D000") throw error;
    return clone(true);
  });
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (admin) => admin.unsafe(`drop database if exists "${name}" with (force)`)),
  };
}

async function withAdmin(adminUrl: URL, work: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await work(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A queue prefix no other test file uses, so files can share one Redis. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString("hex")}`;
}
