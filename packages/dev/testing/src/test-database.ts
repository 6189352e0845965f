import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migratedTemplate } from "./template-database.ts";
import { testEnv } from "./test-env.ts";

/** The server DATABASE_URL names, on its `postgres` database: where test databases are created and dropped. */
export const ADMIN_DATABASE_URL = withDatabaseName(testEnv.DATABASE_URL, "postgres");

/** A fresh, migrated database of its own for one test file, cloned from a migrated template; drop() removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `anura_test_${randomBytes(5).toString("hex")}`;
  const adminUrl = new URL(ADMIN_DATABASE_URL);
  const clone = async (recheck: boolean) => {
    const template = await migratedTemplate(adminUrl.toString(), { recheck });
    await withAdmin(adminUrl, (admin) => admin.unsafe(`create database "${name}" template "${template}"`));
  };
  // A run on other migrations (another checkout) may have replaced the template since we looked.
  await clone(false).catch((error: { code?: string }) => {
    if (error.code !== "3D000") throw error;
    return clone(true);
  });
  return {
    url: withDatabaseName(ADMIN_DATABASE_URL, name),
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

export const TEST_REDIS_URL = testEnv.REDIS_URL;

function withDatabaseName(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A queue prefix no other test file uses, so files can share one Redis. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString("hex")}`;
}
