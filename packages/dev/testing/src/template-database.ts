import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDatabase } from "@anura/db";
import postgres from "postgres";

const TEMPLATE_PREFIX = "anura_template_";
// Any fixed number: the advisory lock that lets one process at a time build the template.
const TEMPLATE_LOCK = 7405562;
// @anura/db keeps its migrations beside src/; the template is keyed by their content.
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.resolve("@anura/db"))), "../migrations");

let templateName: Promise<string> | undefined;

/**
 * The name of a migrated database to clone test databases from, built once per set of migrations
 * and reused by later runs. Safe when several test processes ask at the same time.
 */
export function migratedTemplate(adminUrl: string, options: { recheck?: boolean } = {}): Promise<string> {
  if (options.recheck) templateName = undefined;
  templateName ??= ensureTemplate(adminUrl).catch((error: unknown) => {
    templateName = undefined; // let the next test file try again rather than fail on a stale error
    throw error;
  });
  return templateName;
}

async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${await migrationsHash()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK})`;
    const [existing] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!existing) await buildTemplate(admin, adminUrl, name);
    return name;
  } finally {
    await admin.end({ timeout: 5 }); // ending the session releases the lock
  }
}

/** Migrate under a temporary name and rename when done, so a crash never leaves a half-built template. */
async function buildTemplate(admin: postgres.Sql, adminUrl: string, name: string): Promise<void> {
  const building = `${name}_building`;
  await admin.unsafe(`drop database if exists "${building}" with (force)`);
  const url = new URL(adminUrl);
  url.pathname = `/${building}`;
  await migrateDatabase(url.toString());
  await admin.unsafe(`alter database "${building}" rename to "${name}"`);
  // Templates of older migrations are of no further use; one still being cloned is left for next time.
  const stale = await admin`select datname from pg_database where datname like ${`${TEMPLATE_PREFIX}%`} and datname <> ${name}`;
  for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}"`).catch(() => {});
}

async function migrationsHash(): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(MIGRATIONS, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const paths = files.map((entry) => join(entry.parentPath, entry.name)).sort();
  for (const path of paths) hash.update(path.slice(MIGRATIONS.length)).update(await readFile(path));
  return hash.digest("hex").slice(0, 16);
}
