import {
  type CallEvent,
  type CallFacts,
  cdrEventIdFor,
  mergeEvent,
  recordingLinkMissing,
  recordingReady,
  stateOf,
} from "@anura/call-domain";
import {
  appendEventAndReadCall,
  callLogFields,
  type MergedCall,
  type SaveInput,
  type SaveOutcome,
  type StoredCall,
  saveMergedCall,
  saveMergedCalls,
} from "@anura/db";
import type { WorkerDeps } from "../deps.ts";
import type { CampaignMapper } from "./campaign-cache.ts";
import type { RecentCalls } from "./recent-calls.ts";

// Each attempt lost to another writer of the same call means that writer made progress; this many in a row is a fault.
const MAX_ATTEMPTS = 50;

type Received = { eventId: string; receivedAt: string; event: CallEvent };
type Deps = Pick<WorkerDeps, "db" | "task">;

/**
 * What a save writes for `facts`: the call's state, its mapping and, when mapped, its call log. The
 * source is the first event's: only reconciliation gives an event its id (the ingester's are random).
 */
async function draftSave(deps: Deps, mapCall: CampaignMapper, cdrid: string, facts: CallFacts, first: Received) {
  const state = stateOf(facts);
  const { campaign, operator } = await mapCall(state);
  const missing = [!campaign && "campaign", !operator && "operator"].filter(Boolean).join(",");
  const call: MergedCall = {
    cdrid,
    state,
    facts,
    recordingReady: recordingReady(state),
    recordingLinkMissing: recordingLinkMissing(state),
    campaignId: campaign?.campaignId ?? null,
    operatorId: operator?.operatorId ?? null,
    unmappedReason: missing || null,
    source: first.eventId === cdrEventIdFor(cdrid) ? "cdr" : "webhook",
  };
  const callLog = campaign && operator ? callLogFields(state, { campaign, operator }, deps.task.username) : null;
  return { call, callLog };
}

/** Whether saving `call` over `stored` would change nothing: a redelivery, or events outranked on every field. */
function changesNothing(stored: StoredCall | null, facts: CallFacts): boolean {
  return stored !== null && facts === stored.facts && stored.staleAt === null;
}

/**
 * Merge one event into its stored call: append it to anura_events and bring the call (and its call log) up
 * to date. The merge is commutative and idempotent, and a save only lands on the version it was merged from,
 * so any order and any number of duplicates give the same call. The first attempt merges into this worker's
 * last save of the call (or none: a new call) and appends the event in the same statement; a guess that
 * proved wrong brings back the call as it stands, to merge again.
 */
export async function mergeEventIntoCall(
  deps: Deps,
  mapCall: CampaignMapper,
  recent: RecentCalls,
  received: Received,
): Promise<StoredCall> {
  const { event } = received;
  let stored = recent.guess(event.cdrid);
  // Once true, the event is in anura_events and `stored` came back from Postgres with it, not from the guess.
  let appended = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const facts = mergeEvent(stored?.facts ?? null, received);
    const { call, callLog } = await draftSave(deps, mapCall, event.cdrid, facts, received);
    // Nothing to save, once the event is appended and the call read (a guess may be out of date).
    if (stored && changesNothing(stored, facts) && sameMapping(stored, call)) {
      if (appended) return remembered(recent, stored);
      stored = await appendEventAndReadCall(deps.db, received);
      appended = true;
      continue;
    }
    const outcome: SaveOutcome = await saveMergedCall(deps.db, {
      call,
      readVersion: stored?.version ?? null,
      callLog,
      appendEvent: appended ? undefined : received,
    }).catch(async (error: unknown) => {
      // A failed save undoes its append: keep the event stored even if this job never succeeds.
      if (!appended) await appendEventAndReadCall(deps.db, received).catch(() => {});
      throw error;
    });
    if (outcome.saved) return remembered(recent, outcome.call);
    [stored, appended] = [outcome.call, true];
  }
  throw new Error(`call ${event.cdrid} changed under ${MAX_ATTEMPTS} merges in a row; retrying the job`);
}

/**
 * The events of several calls merged with one statement (`saveMergedCalls`): each call's events folded
 * into this worker's last save of it, every event appended, and each call saved if that guess still holds.
 * Returns the calls saved, with their events, and the events left for mergeEventIntoCall one by one: a
 * call whose guess was out of date (its events are appended by then), or one they would not change
 * (not sent: mergeEventIntoCall appends them).
 * Throws, having saved nothing, when the statement fails.
 */
export async function mergeEventsIntoCalls(deps: Deps, mapCall: CampaignMapper, recent: RecentCalls, events: Received[]) {
  const saves: SaveInput[] = [];
  const left: Received[] = [];
  for (const [cdrid, received] of Map.groupBy(events, (one) => one.event.cdrid)) {
    const stored = recent.guess(cdrid);
    const facts = received.reduce<CallFacts | null>((merged, one) => mergeEvent(merged, one), stored?.facts ?? null);
    const [first] = received;
    if (!facts || !first || changesNothing(stored, facts)) {
      left.push(...received);
      continue;
    }
    const { call, callLog } = await draftSave(deps, mapCall, cdrid, facts, first);
    saves.push({ call, readVersion: stored?.version ?? null, callLog, appendEvents: received });
  }
  const outcomes = await saveMergedCalls(deps.db, saves);
  const saved: Array<{ call: StoredCall; events: Received[] }> = [];
  outcomes.forEach((outcome, index) => {
    const events = saves[index]?.appendEvents ?? [];
    if (outcome.saved) saved.push({ call: remembered(recent, outcome.call), events });
    else {
      if (outcome.call) recent.remember(outcome.call); // as the statement found it: the lone merge starts there
      left.push(...events);
    }
  });
  return { saved, left };
}

function remembered(recent: RecentCalls, call: StoredCall): StoredCall {
  recent.remember(call);
  return call;
}

function sameMapping(stored: StoredCall, call: MergedCall): boolean {
  return (
    stored.campaignId === call.campaignId &&
    stored.operatorId === call.operatorId &&
    stored.unmappedReason === call.unmappedReason
  );
}
