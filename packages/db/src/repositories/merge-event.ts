import type { ReceivedEvent } from "@anura/call-domain";
import type { Db } from "../client.ts";
import { anuraCalls } from "../schema/index.ts";
import { type CallLogFields, upsertCallLogsStep } from "./call-logs.ts";
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
const callColumns = rawRows(anuraCalls);

/**
 * Append the event to anura_events (a redelivered one is ignored) and read the call it belongs to, in
 * one statement that holds no lock afterwards: the save that follows takes only the call's row lock.
 */
export async function appendEventAndReadCall(db: Db, received: Required<ReceivedEvent>): Promise<StoredCall | null> {
  const sql = db.$client;
  const [row] = await sql`
    with ${appendedEvents(sql, [received])}
    select ${sql.unsafe(callColumns.columns)} from anura_calls where cdrid = ${received.event.cdrid}`;
  return row ? callColumns.decode(row) : null;
}

/**
 * `appended`, a `with` step appending the events to anura_events in (cdrid, id) order, so two statements
 * appending the same events wait for each other instead of deadlocking; a redelivered one is ignored.
 */
function appendedEvents(sql: Db["$client"], received: Required<ReceivedEvent>[]) {
  const events = JSON.stringify(
    received.map(({ eventId, receivedAt, event }) => ({
      id: eventId,
      cdrid: event.cdrid,
      trigger: event.trigger,
      received_at: receivedAt,
      payload: event,
    })),
  );
  return sql`appended as (
    insert into anura_events (id, cdrid, trigger, received_at, payload)
    select id, cdrid, trigger, received_at, payload
    from jsonb_to_recordset(${events}::jsonb) as event(id uuid, cdrid text, trigger text, received_at timestamptz, payload jsonb)
    order by cdrid, id
    on conflict do nothing returning 1)`;
}

/** What a save attempt found: the call as saved, or (when it did not land) the call as it stands. */
export type SaveOutcome = { saved: true; call: StoredCall } | { saved: false; call: StoredCall | null };

/** One call's save: the call as merged, the version it was merged from (null: new), its call log when mapped, and events to append. */
export interface SaveInput {
  call: MergedCall;
  readVersion: number | null;
  callLog: CallLogFields | null;
  appendEvents: Required<ReceivedEvent>[];
}

/**
 * In one statement: append the events given (a redelivered one is ignored), save the call if its
 * version is still `readVersion` (null: the call is new) and, when mapped, upsert its call log while the
 * call's row is locked, so call logs are written in version order. When another writer saved first (or
 * the version was only a guess), nothing is saved and the call as last seen comes back, to merge into.
 */
export async function saveMergedCall(
  db: Db,
  input: { call: MergedCall; readVersion: number | null; callLog: CallLogFields | null; appendEvent?: Required<ReceivedEvent> },
): Promise<SaveOutcome> {
  const { appendEvent, ...save } = input;
  const [outcome] = await saveMergedCalls(db, [{ ...save, appendEvents: appendEvent ? [appendEvent] : [] }]);
  return outcome ?? { saved: false, call: null };
}

/**
 * saveMergedCall for several calls (each cdrid once) in one statement, each landing or not on its own;
 * the outcomes come back in the order of `inputs`. Events (by cdrid, then id), rows and call logs are
 * written in cdrid order, existing rows all locked before any insert, so two such statements on the
 * same calls or events wait for each other instead of deadlocking.
 */
export async function saveMergedCalls(db: Db, inputs: SaveInput[]): Promise<SaveOutcome[]> {
  if (inputs.length === 0) return [];
  if (new Set(inputs.map(({ call }) => call.cdrid)).size < inputs.length) throw new Error("saveMergedCalls: a call given twice");
  const sql = db.$client;
  const calls = JSON.stringify(inputs.map(asCallRow));
  // The append's trigger takes each call's shared advisory lock. Every later step reads what the one
  // before it did (`select count(*)`), so they run in this order: appends, row locks, updates, inserts.
  // Locks are then taken as a transaction holding lockCall takes them: the advisory lock before the row.
  // Every existing row is locked first, in cdrid order, and never inserted: an insert that met a row
  // another statement is updating would wait for it out of that order.
  const rows = await sql`
    with input as (
      select * from jsonb_to_recordset(${calls}::jsonb) as input(
        cdrid text, state jsonb, facts jsonb, recording_ready boolean, recording_link_missing boolean,
        campaign_id int, operator_id int, unmapped_reason text, source text, read_version int, log jsonb)
    ),
    ${appendedEvents(
      sql,
      inputs.flatMap(({ appendEvents }) => appendEvents),
    )},
    locked as materialized (
      select anura_calls.cdrid from anura_calls join input using (cdrid)
      where (select count(*) from appended) >= 0
      order by anura_calls.cdrid for no key update of anura_calls
    ),
    updated as (
      update anura_calls set state = input.state, facts = input.facts, recording_ready = input.recording_ready,
        recording_link_missing = input.recording_link_missing, campaign_id = input.campaign_id,
        operator_id = input.operator_id, unmapped_reason = input.unmapped_reason,
        version = anura_calls.version + 1, stale_at = null, updated_at = now()
      from input
      where anura_calls.cdrid = input.cdrid and anura_calls.version = input.read_version
        and (select count(*) from locked) >= 0
      returning anura_calls.*
    ),
    inserted as (
      insert into anura_calls (cdrid, state, facts, recording_ready, recording_link_missing, campaign_id, operator_id,
        unmapped_reason, version, source)
      select cdrid, state, facts, recording_ready, recording_link_missing, campaign_id, operator_id, unmapped_reason, 1, source
      from input
      where read_version is null and cdrid not in (select cdrid from locked) and (select count(*) from updated) >= 0
      order by cdrid
      on conflict do nothing returning *
    ),
    saved as (select * from updated union all select * from inserted),
    ${upsertCallLogsStep(sql)}
    select true as saved, ${sql.unsafe(callColumns.columns)} from saved
    union all
    select false, ${sql.unsafe(callColumns.columns)} from anura_calls
    where cdrid in (select cdrid from input) and cdrid not in (select cdrid from saved)`;
  // When a save did not land, the second branch reads the statement's snapshot: the call as it stood
  // when the statement began (a writer that committed while the save waited is seen by the next attempt).
  const found = new Map<string, SaveOutcome>();
  for (const { saved, ...row } of rows) {
    const call = callColumns.decode(row);
    found.set(call.cdrid, saved ? { saved: true, call } : { saved: false, call });
  }
  return inputs.map(({ call }) => found.get(call.cdrid) ?? { saved: false, call: null });
}

/** A call's save as the statement's `input` row reads it; its call log as JSON, null when unmapped. */
function asCallRow({ call, readVersion, callLog }: SaveInput) {
  return {
    cdrid: call.cdrid,
    state: call.state,
    facts: call.facts,
    recording_ready: call.recordingReady,
    recording_link_missing: call.recordingLinkMissing,
    campaign_id: call.campaignId,
    operator_id: call.operatorId,
    unmapped_reason: call.unmappedReason,
    source: call.source ?? "webhook",
    read_version: readVersion,
    log: callLog,
  };
}
