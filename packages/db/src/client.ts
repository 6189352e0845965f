import type postgres from "postgres";
import { connectPostgres, drizzle, type PostgresJsDatabase } from "./drizzle.ts";
import * as schema from "./schema/index.ts";

/** `$client`: the postgres.js pool itself, for the hot path's prepared raw statements. */
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

/** An app's pool from its settings (DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_PREPARED_STATEMENTS). */
export function connectDatabase(settings: { url: string; poolSize: number; prepare: boolean }): DbHandle {
  return createDb(settings.url, { max: settings.poolSize, prepare: settings.prepare });
}

export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

/**
 * `prepare: false` behind a transaction pooler: postgres.js names each statement and prepares it on one
 * server connection, which a pooler gives to other clients between transactions.
 */
export function createDb(url: string, options: { max?: number; prepare?: boolean } = {}): DbHandle {
  const sql = connectPostgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    onnotice: () => {},
    connect_timeout: 10,
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/** A database handle or an open transaction: repositories work with either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
