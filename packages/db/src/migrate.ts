import { fileURLToPath } from "node:url";
import { connectPostgres, drizzle, migrate } from "./drizzle.ts";

const MIGRATIONS = fileURLToPath(new URL("../migrations", import.meta.url));

/** Apply pending migrations, creating the database first if the server does not have it yet. */
export async function migrateDatabase(url: string): Promise<void> {
  await createDatabaseIfMissing(url);
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    // One migrator at a time when several processes start together.
    await sql`select pg_advisory_lock(7405561)`;
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const probe = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    await probe`select 1`;
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
  } finally {
    await probe.end({ timeout: 5 });
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = "/postgres";
  const admin = connectPostgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== "42P04") throw error; // created meanwhile by another process
  } finally {
    await admin.end({ timeout: 5 });
  }
}
