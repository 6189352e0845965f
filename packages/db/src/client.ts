import type postgres from "postgres";
import { connectPostgres, drizzle, type PostgresJsDatabase } from "./drizzle.ts";
import * as schema from "./schema/index.ts";

/** `$client`: the postgres.js pool itself, for the hot path's prepared raw statements. */
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

export function createDb(url: string, options: { max?: number } = {}): DbHandle {
  const sql = connectPostgres(url, { max: options.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/** A database handle or an open transaction: repositories work with either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
