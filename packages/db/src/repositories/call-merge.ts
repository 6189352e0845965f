import type { CallEvent, CallFacts, CallState } from "@anura/call-events";
import type { Db } from "../client.ts";

/** What merging one more event needs from the stored call, and what the next steps read. */
export interface StoredCall {
  cdrid: string;
  facts: CallFacts | null;
  version: number;
  campaignId: number | null;
  operatorId: number | null;
  unmappedReason: string | null;
  stale: boolean;
  recordingReady: boolean;
  recordingStoredAt: string | null;
  taskUuid: string | null;
}

export interface EventRow {
  id: string;
  cdrid: string;
  trigger: string;
  receivedAt: string;
  payload: CallEvent;
}

/** AuditorIA's call_logs columns the worker sets; file name and url come from the stored recording. */
export interface CallLogFields {
  date: string | null;
  campaignId: number;
  operatorId: number;
  aniTel: string | null;
  direction: string | null;
  callStartDate: string | null;
  callEndDate: string | null;
  sectot: number | null;
  uploadBy: string;
  log: string;
  pendingFileName: string;
}

export interface MergedCall {
  cdrid: string;
  state: CallState;
  facts: CallFacts;
  recordingReady: boolean;
  recordingLinkMissing: boolean;
  campaignId: number | null;
  operatorId: number | null;
  unmappedReason: string | null;
  /** Set on the call's first save only: 'cdr' when reconciliation created it from Anura's CDR list. */
  source?: "webhook" | "cdr";
}

// Raw SQL on the postgres.js client: its tagged queries are prepared once per connection, and an
// event costs one statement when the worker guessed the call right, two when it must read it first.
// JSON goes as text: drizzle leaves the json serialisers out.
const CALL_COLUMNS = `cdrid, facts, version, campaign_id as "campaignId", operator_id as "operatorId",
  unmapped_reason as "unmappedReason", stale_at is not null as stale, recording_ready as "recordingReady",
  recording_stored_at::text as "recordingStoredAt", task_uuid as "taskUuid"`;

/**
 * Append the event to anura_events (a redelivered one is ignored) and read the call it belongs to, in
 * one statement that holds no lock afterwards: the save that follows takes only the call's row lock.
 */
export async function appendEventAndReadCall(db: Db, event: EventRow): Promise<StoredCall | null> {
  const sql = db.$client;
  const [row] = await sql<StoredCall[]>`
    with ${appendedEvent(sql, event)}
    select ${sql.unsafe(CALL_COLUMNS)} from anura_calls where cdrid = ${event.cdrid}`;
  return row ?? null;
}

/** The event appended to anura_events, as a `with` clause; a redelivered one is ignored. */
function appendedEvent(sql: Db["$client"], event: EventRow) {
  return sql`appended as (
    insert into anura_events (id, cdrid, trigger, received_at, payload)
    values (${event.id}, ${event.cdrid}, ${event.trigger}, ${event.receivedAt}, ${JSON.stringify(event.payload)})
    on conflict do nothing returning 1)`;
}

/** What a save attempt found: the call as saved, or (when it did not land) the call as it stands. */
export type SaveOutcome = { saved: true; call: StoredCall } | { saved: false; call: StoredCall | null };

/**
 * In one statement: append the event when given (a redelivered one is ignored), save the call if its
 * version is still `readVersion` (null: the call is new) and, when mapped, upsert its call log while the
 * call's row is locked, so call logs are written in version order. When another writer saved first (or
 * the version was only a guess), nothing is saved and the call as last seen comes back, to merge into.
 */
export async function saveMergedCall(
  db: Db,
  input: { call: MergedCall; readVersion: number | null; callLog: CallLogFields | null; appendEvent?: EventRow },
): Promise<SaveOutcome> {
  const sql = db.$client;
  const { call, callLog: log, appendEvent: event } = input;
  const [state, facts] = [JSON.stringify(call.state), JSON.stringify(call.facts)];
  const append = event ? sql`${appendedEvent(sql, event)},` : sql``;
  // The append's trigger takes the call's shared advisory lock. A `with` step nobody reads runs last,
  // after the save locked the row: the opposite order to a transaction holding lockCall that then
  // updates the row, so the two deadlocked. Reading the append's result makes it run first.
  const afterAppend = event ? sql`and (select count(*) from appended) >= 0` : sql``;
  const save =
    input.readVersion === null
      ? sql`insert into anura_calls (cdrid, state, facts, recording_ready, recording_link_missing, campaign_id, operator_id,
            unmapped_reason, version, source)
          select ${call.cdrid}::text, ${state}::jsonb, ${facts}::jsonb, ${call.recordingReady}::boolean,
            ${call.recordingLinkMissing}::boolean, ${call.campaignId}::int,
            ${call.operatorId}::int, ${call.unmappedReason}::text, 1, ${call.source ?? "webhook"}::text
          where true ${afterAppend}
          on conflict do nothing returning *`
      : sql`update anura_calls set state = ${state}, facts = ${facts}, recording_ready = ${call.recordingReady},
          recording_link_missing = ${call.recordingLinkMissing},
          campaign_id = ${call.campaignId}, operator_id = ${call.operatorId}, unmapped_reason = ${call.unmappedReason},
          version = version + 1, stale_at = null, updated_at = now()
          where cdrid = ${call.cdrid} and version = ${input.readVersion} ${afterAppend} returning *`;
  const writeLog = log
    ? sql`, logged as (
        insert into call_logs (file_name, url, call_id, date, campaign_id, operator_id, ani_tel, direction,
          call_start_date, call_end_date, sectot, upload_by, log)
        select coalesce(saved.recording_file_name, ${log.pendingFileName}), saved.recording_key, saved.cdrid,
          ${log.date}::timestamp, ${log.campaignId}, ${log.operatorId}, ${log.aniTel}, ${log.direction},
          ${log.callStartDate}::timestamp, ${log.callEndDate}::timestamp, ${log.sectot}, ${log.uploadBy}, ${log.log}
        from saved
        on conflict (call_id) do update set
          -- The provisional file name is replaced once, when the recording is stored; a stored url is kept.
          file_name = case when call_logs.file_name like 'pending\\_%' then excluded.file_name else call_logs.file_name end,
          url = coalesce(excluded.url, call_logs.url),
          date = excluded.date, campaign_id = excluded.campaign_id, operator_id = excluded.operator_id,
          ani_tel = excluded.ani_tel, direction = excluded.direction, call_start_date = excluded.call_start_date,
          call_end_date = excluded.call_end_date, sectot = excluded.sectot, upload_by = excluded.upload_by,
          log = excluded.log, updated_at = now())`
    : sql``;
  // When the save did not land, the second branch reads the statement's snapshot: the call as it stood
  // when the statement began (a writer that committed while the save waited is seen by the next attempt).
  const [row] = await sql<Array<StoredCall & { saved: boolean }>>`
    with ${append} saved as (${save})${writeLog}
    select true as saved, ${sql.unsafe(CALL_COLUMNS)} from saved
    union all
    select false, ${sql.unsafe(CALL_COLUMNS)} from anura_calls where cdrid = ${call.cdrid} and not exists (select from saved)`;
  if (!row) return { saved: false, call: null };
  const { saved, ...stored } = row;
  return saved ? { saved: true, call: stored } : { saved: false, call: stored };
}
