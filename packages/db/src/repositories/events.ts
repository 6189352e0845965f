import type postgres from "postgres";
import type { Db, DbOrTx } from "../client.ts";
import { asc, eq } from "../drizzle.ts";
import { anuraEvents } from "../schema/index.ts";

/** A call's events in the order they arrived (the dashboard's timeline, the worker's re-derivation). */
export function eventsForCall(tx: DbOrTx, cdrid: string) {
  return tx
    .select({
      id: anuraEvents.id,
      trigger: anuraEvents.trigger,
      receivedAt: anuraEvents.receivedAt,
      payload: anuraEvents.payload,
    })
    .from(anuraEvents)
    .where(eq(anuraEvents.cdrid, cdrid))
    .orderBy(asc(anuraEvents.receivedAt));
}

/** An anura_events row as the commands that queue calls again read it. */
export interface StoredEvent {
  id: string;
  cdrid: string;
  trigger: string;
  /** ISO 8601 in UTC, as the call.event job schema wants it. */
  receivedAt: string;
  /** As stored: it may predate the current event schema, so it is checked again before it is queued. */
  payload: unknown;
}

/** Which stored events to select: received in [since, until), optionally of one call or one trigger. */
export interface StoredEventFilter {
  since: Date;
  until?: Date;
  cdrid?: string;
  trigger?: string;
}

// Raw SQL on the postgres.js client, for its cursor. Timestamps are formatted in SQL because drizzle
// makes this client hand them back as Postgres text and send parameters as given (so dates go as ISO text).
const storedEventColumns = (sql: postgres.Sql) =>
  sql`id, cdrid, trigger,
    to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "receivedAt", payload`;

function matching(sql: postgres.Sql, filter: StoredEventFilter) {
  const none = sql``;
  return sql`where received_at >= ${filter.since.toISOString()}::timestamptz
    ${filter.until ? sql`and received_at < ${filter.until.toISOString()}::timestamptz` : none}
    ${filter.cdrid ? sql`and cdrid = ${filter.cdrid}` : none}
    ${filter.trigger ? sql`and trigger = ${filter.trigger}` : none}`;
}

/** The most recent event of each call: queued again, it makes the worker map the call anew (merging it changes no fact). */
export function latestEventPerCall(db: Db, cdrids: string[]): Promise<StoredEvent[]> {
  const sql = db.$client;
  return sql<StoredEvent[]>`
    select distinct on (cdrid) ${storedEventColumns(sql)}
    from anura_events where cdrid = any(${cdrids})
    order by anura_events.cdrid, anura_events.received_at desc, anura_events.id desc`;
}

export async function countEventsMatching(db: Db, filter: StoredEventFilter): Promise<number> {
  const sql = db.$client;
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from anura_events ${matching(sql, filter)}`;
  return row?.count ?? 0;
}

/** The first `limit` matching events in the order they were received. */
export function firstEventsMatching(db: Db, filter: StoredEventFilter, limit: number): Promise<StoredEvent[]> {
  const sql = db.$client;
  return sql<StoredEvent[]>`
    select ${storedEventColumns(sql)} from anura_events ${matching(sql, filter)}
    order by anura_events.received_at, anura_events.id limit ${limit}`;
}

/** Every matching event in the order they were received, read through one cursor `batchSize` rows at a time. */
export function eventsMatchingInBatches(db: Db, filter: StoredEventFilter, batchSize: number): AsyncIterable<StoredEvent[]> {
  const sql = db.$client;
  return sql<StoredEvent[]>`
    select ${storedEventColumns(sql)} from anura_events ${matching(sql, filter)}
    order by anura_events.received_at, anura_events.id`.cursor(batchSize);
}
