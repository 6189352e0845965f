import type postgres from "postgres";
import type { Db, DbOrTx } from "../client.ts";
import { asc, eq } from "../drizzle.ts";
import { anuraEvents } from "../schema/index.ts";
import { rawRows } from "./raw-rows.ts";

/** An anura_events row as the app reads it: the dashboard's timeline, and the commands that queue events again. */
export type StoredEvent = typeof anuraEvents.$inferSelect;

// Raw SQL on the postgres.js client, for its cursor; rows come back as drizzle's selects read them.
const events = rawRows(anuraEvents);

/** A call's events in the order they arrived (the dashboard's timeline). */
export function eventsForCall(tx: DbOrTx, cdrid: string): Promise<StoredEvent[]> {
  return tx.select().from(anuraEvents).where(eq(anuraEvents.cdrid, cdrid)).orderBy(asc(anuraEvents.receivedAt));
}

/** Which stored events to select: received in [since, until), optionally of one call or one trigger. */
export interface StoredEventFilter {
  since: Date;
  until?: Date;
  cdrid?: string;
  trigger?: string;
}

// Drizzle makes this client send parameters as given, so dates go as ISO text.
function matching(sql: postgres.Sql, filter: StoredEventFilter) {
  const none = sql``;
  return sql`where received_at >= ${filter.since.toISOString()}::timestamptz
    ${filter.until ? sql`and received_at < ${filter.until.toISOString()}::timestamptz` : none}
    ${filter.cdrid ? sql`and cdrid = ${filter.cdrid}` : none}
    ${filter.trigger ? sql`and trigger = ${filter.trigger}` : none}`;
}

/** The most recent event of each call: queued again, it makes the worker map the call anew (merging it changes no fact). */
export async function latestEventPerCall(db: Db, cdrids: string[]): Promise<StoredEvent[]> {
  const sql = db.$client;
  const rows = await sql`
    select distinct on (cdrid) ${sql.unsafe(events.columns)}
    from anura_events where cdrid = any(${cdrids})
    order by anura_events.cdrid, anura_events.received_at desc, anura_events.id desc`;
  return rows.map(events.decode);
}

export async function countEventsMatching(db: Db, filter: StoredEventFilter): Promise<number> {
  const sql = db.$client;
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from anura_events ${matching(sql, filter)}`;
  return row?.count ?? 0;
}

/** The first `limit` matching events in the order they were received. */
export async function firstEventsMatching(db: Db, filter: StoredEventFilter, limit: number): Promise<StoredEvent[]> {
  const sql = db.$client;
  const rows = await sql`
    select ${sql.unsafe(events.columns)} from anura_events ${matching(sql, filter)}
    order by anura_events.received_at, anura_events.id limit ${limit}`;
  return rows.map(events.decode);
}

/** Every matching event in the order they were received, read through one cursor `batchSize` rows at a time. */
export async function* eventsMatchingInBatches(
  db: Db,
  filter: StoredEventFilter,
  batchSize: number,
): AsyncIterable<StoredEvent[]> {
  const sql = db.$client;
  const batches = sql`
    select ${sql.unsafe(events.columns)} from anura_events ${matching(sql, filter)}
    order by anura_events.received_at, anura_events.id`.cursor(batchSize);
  for await (const rows of batches) yield rows.map(events.decode);
}
