import type { DbOrTx } from "../client.ts";
import { type SQL, sql } from "../drizzle.ts";

// The dashboard's "Needs attention" list: per reason, how many calls and the newest of them, each
// read from its own partial index (migration 0010), newest first.

export interface AttentionQuery {
  limit: number;
  offset: number;
}

/** One reason's rows on a page, and how many calls it has in all. */
export interface AttentionPage<Row> {
  total: number;
  rows: Row[];
}

/** Seconds → a timestamp that far before the database's now(), so app and database clocks cannot disagree. */
const ago = (seconds: number) => sql`now() - ${seconds}::float8 * interval '1 second'`;
// tasks.created_at/updated_at have no time zone (AuditorIA's columns) and are filled with the database's local time.
const localAgo = (seconds: number) => sql`localtimestamp - ${seconds}::float8 * interval '1 second'`;
const asUtc = (column: string) => sql.raw(`(${column} at time zone current_setting('TimeZone'))`);

/** One page of `from`, newest `since` first, with the total; every select list names its `since` column. */
async function page<Row extends { since: Date }>(
  db: DbOrTx,
  from: SQL,
  since: SQL,
  columns: SQL,
  query: AttentionQuery,
): Promise<AttentionPage<Row>> {
  const [counted, rows] = await Promise.all([
    db.execute<{ total: number }>(sql`select count(*)::int as total ${from}`),
    db.execute<Omit<Row, "since"> & { since: string }>(
      sql`select ${columns} ${from} order by ${since} desc limit ${query.limit} offset ${query.offset}`,
    ),
  ]);
  // The columns are the select list above: drizzle's execute cannot see through a generic row type.
  const found = rows.map((row) => ({ ...row, since: new Date(row.since) })) as unknown as Row[];
  return { total: counted[0]?.total ?? 0, rows: found };
}

export interface AwaitingRecordingRow {
  cdrid: string;
  since: Date;
}

/**
 * Recorded calls with no stored recording, first seen longer ago than `olderThanSeconds`: where
 * their download stands (retrying or failed) is BullMQ's to say. At most `limit`, newest first.
 */
export async function callsAwaitingRecordingSince(db: DbOrTx, options: { olderThanSeconds: number; limit: number }) {
  const rows = await db.execute<{ cdrid: string; since: string }>(sql`
    select cdrid, created_at as since from anura_calls
    where recording_ready and recording_stored_at is null and created_at < ${ago(options.olderThanSeconds)}
    order by created_at desc limit ${options.limit}`);
  return rows.map((row): AwaitingRecordingRow => ({ cdrid: row.cdrid, since: new Date(row.since) }));
}

export interface UnmappedCallRow {
  cdrid: string;
  since: Date;
  /** What is missing: "campaign", "operator" or both. */
  unmappedReason: string;
  /** The tags Anura sent, which named no campaign that exists. */
  accounttags: string | null;
}

/** Calls without a task because no campaign or operator matched. */
export async function unmappedCallsPage(db: DbOrTx, query: AttentionQuery): Promise<AttentionPage<UnmappedCallRow>> {
  return page(
    db,
    sql`from anura_calls where unmapped_reason is not null and task_uuid is null`,
    sql`created_at`,
    sql`cdrid, created_at as since, unmapped_reason as "unmappedReason", state->>'accounttags' as accounttags`,
    query,
  );
}

export interface RecordedWithoutLinkRow {
  cdrid: string;
  since: Date;
}

/** Calls whose END said "recorded" but that brought no recording link, first seen longer ago than `olderThanSeconds`. */
export async function recordedWithoutLinkPage(
  db: DbOrTx,
  options: AttentionQuery & { olderThanSeconds: number },
): Promise<AttentionPage<RecordedWithoutLinkRow>> {
  return page(
    db,
    sql`from anura_calls
      where recording_link_missing and created_at < ${ago(options.olderThanSeconds)}`,
    sql`created_at`,
    sql`cdrid, created_at as since`,
    options,
  );
}

export interface TaskAttentionRow {
  cdrid: string;
  since: Date;
  taskUuid: string;
  status: string;
  error: string | null;
}

// Our tasks carry their call in task_params (source, call_id): no join back to anura_calls, whose
// million rows the planner would rather scan than probe ten thousand times.
const TASK_COLUMNS = sql`t.task_params->>'call_id' as cdrid, t.uuid as "taskUuid", t.status, t.error`;
const OURS = sql`(t.task_params->>'source') = 'anura'`;

/** Our tasks AuditorIA has left `pending` longer than `stallAfterSeconds` (TRANSCRIPTION_STALL_AFTER). */
export async function stalledTasksPage(
  db: DbOrTx,
  options: AttentionQuery & { stallAfterSeconds: number },
): Promise<AttentionPage<TaskAttentionRow>> {
  return page(
    db,
    sql`from tasks t where t.status = 'pending' and ${OURS} and t.created_at < ${localAgo(options.stallAfterSeconds)}`,
    sql`t.created_at`,
    sql`${TASK_COLUMNS}, ${asUtc("t.created_at")} as since`,
    options,
  );
}

/** Our tasks AuditorIA marked failed (`failed` or `error`), with its `error`. */
export async function failedTasksPage(db: DbOrTx, query: AttentionQuery): Promise<AttentionPage<TaskAttentionRow>> {
  return page(
    db,
    sql`from tasks t where t.status in ('failed', 'error') and ${OURS}`,
    sql`t.updated_at`,
    sql`${TASK_COLUMNS}, ${asUtc("t.updated_at")} as since`,
    query,
  );
}

export interface RecoveredCallRow {
  cdrid: string;
  since: Date;
  /** The Anura account the CDR named ('unknown' when it named none): whose hooks lose webhooks. */
  account: string;
}

/** Calls created from Anura's CDR list (no webhook came) in the last `withinSeconds`, newest first. */
export async function recoveredCallsPage(
  db: DbOrTx,
  query: AttentionQuery & { withinSeconds: number },
): Promise<AttentionPage<RecoveredCallRow>> {
  return page(
    db,
    sql`from anura_calls c where c.source = 'cdr' and c.created_at > ${ago(query.withinSeconds)}`,
    sql`c.created_at`,
    sql`c.cdrid, c.created_at as since, coalesce((
      select e.payload->'extra'->>'accountname' from anura_events e where e.cdrid = c.cdrid order by e.received_at limit 1
    ), 'unknown') as account`,
    query,
  );
}
