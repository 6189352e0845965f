import { createDb, type Db } from "@anura/db";
import type postgres from "postgres";
import { test } from "vitest";
import { createTestDatabase } from "./test-database.ts";
import { startTestServices } from "./test-services.ts";

// vitest fixtures: a test file asks for what it needs by name and gets it set up once for the file,
// and torn down after it, failed or not. vitest reads a fixture's dependencies from its first
// parameter, which must be an object pattern: `{}` when it has none.

export interface TestDatabase {
  url: string;
  db: Db;
  sql: postgres.Sql;
}

/** `dbTest("…", async ({ database }) => …)`: a migrated database of the file's own. */
export const dbTest = test.extend(
  "database",
  { scope: "file" },
  // biome-ignore lint/correctness/noEmptyPattern: vitest requires the pattern
  async ({}, { onCleanup }): Promise<TestDatabase> => {
    const created = await createTestDatabase();
    const handle = createDb(created.url, { max: 4 });
    onCleanup(async () => {
      await handle.close();
      await created.drop();
    });
    return { url: created.url, db: handle.db, sql: handle.sql };
  },
);

/** `servicesTest("…", async ({ services }) => …)`: startTestServices() for the file (database, Redis prefix, S3, recording host). */
export const servicesTest = test.extend(
  "services",
  { scope: "file" },
  // biome-ignore lint/correctness/noEmptyPattern: vitest requires the pattern
  async ({}, { onCleanup }) => {
    const services = await startTestServices();
    onCleanup(() => services.close());
    return services;
  },
);
