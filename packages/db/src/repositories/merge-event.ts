import type { ReceivedEvent } from "@anura/call-domain";
import type { Db } from "../client.ts";
import { anuraCalls } from "../schema/index.ts";
import { type CallLogFields, upsertCallLogStep } from "./call-logs.ts";
import type { StoredCall } from "./calls.ts";
import { rawRows } from "./raw-rows.ts";

/** The call as one more merged event leaves it: what a save writes of anura_calls. */
export type MergedCall = Pick<
  StoredCall,
  "cdrid" | "state" | "facts" | "recordingReady" | "recordingLinkMissing" | "campaignId" | "operatorId" | "unmappedReason"
> & {
  /** Set on the call's first save only: 'cdr' when reconciliation created it from Anura's CDR list. */
  source?: "webhook" | "cdr";
};

// Raw SQL on the postgres.js client: its tagged queries are prepared once per connection, and an
// event costs one statement when the worker guessed the call right, two when it must read it first.
// JSON goes as text: drizzle leaves the json serialisers out. Rows come back as findCall reads them.
const calls = rawRows(anuraCalls);

/**
 * Append the event to anura_events (a redelivered one is ignored) and read the call it belongs to, in
 * one statement that holds no lock afterwards: the save that follows takes only the call's row lock.
 */
export async function appendEventAndReadCall(db: Db, received: Required<ReceivedEvent>): Promise<StoredCall | null> {
  const sql = db.$client;
  const [row] = await sql`
    with ${appendedEvent(sql, received)}
    select ${sql.unsafe(calls.columns)} from anura_calls where cdrid = ${received.event.cdrid}`;
  return row ? calls.decode(row) : null;
}

/** The event appended to anura_events, as a `with` clause; a redelivered one is ignored. */
function appendedEvent(sql: Db["$client"], { eventId, receivedAt, event }: Required<ReceivedEvent>) {
  return sql`appended as (
    insert into anura_events (id, cdrid, trigger, received_at, payload)
    values (${eventId}, ${event.cdrid}, ${event.trigger}, ${receivedAt}, ${JSON.stringify(event)})
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
  input: { call: MergedCall; readVersion: number | null; callLog: CallLogFields | null; appendEvent?: Required<ReceivedEvent> },
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
  const writeLog = log ? sql`, ${upsertCallLogStep(sql, log)}` : sql``;
  // When the save did not land, the second branch reads the statement's snapshot: the call as it stood
  // when the statement began (a writer that committed while the save waited is seen by the next attempt).
  const [row] = await sql`
    with ${append} saved as (${save})${writeLog}
    select true as saved, ${sql.unsafe(calls.columns)} from saved
    union all
    select false, ${sql.unsafe(calls.columns)} from anura_calls where cdrid = ${call.cdrid} and not exists (select from saved)`;
  if (!row) return { saved: false, call: null };
  const { saved, ...stored } = row;
  return saved ? { saved: true, call: calls.decode(stored) } : { saved: false, call: calls.decode(stored) };
}
