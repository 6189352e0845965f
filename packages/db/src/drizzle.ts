import { createRequire } from "node:module";
import type postgres from "postgres";

// drizzle-orm through its CommonJS build: Node links the ES build's hundreds of `export *` modules in
// ~0.4 s and ~150 MB of short-lived heap at every start, the CommonJS build in ~0.08 s and ~10 MB.
// drizzle-kit loads the schema as CommonJS, where `require` already exists.
const load = typeof require === "function" ? require : createRequire(import.meta.url);
const orm: typeof import("drizzle-orm") = load("drizzle-orm");
const pgCore: typeof import("drizzle-orm/pg-core") = load("drizzle-orm/pg-core");
const postgresJs: typeof import("drizzle-orm/postgres-js") = load("drizzle-orm/postgres-js");
const migrator: typeof import("drizzle-orm/postgres-js/migrator") = load("drizzle-orm/postgres-js/migrator");

export type { SQL } from "drizzle-orm";
export type { PgTable } from "drizzle-orm/pg-core";
export type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
export const { and, asc, count, desc, eq, getTableColumns, gt, gte, isNotNull, isNull, lt, or, sql } = orm;
export const {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} = pgCore;
export const { drizzle } = postgresJs;
export const { migrate } = migrator;
/** postgres.js through the same `require`: drizzle's driver loads its CommonJS build, and one copy is enough. */
export const connectPostgres: typeof postgres = load("postgres");
