import {
  type CallEvent,
  cdrEventIdFor,
  mergeEvent,
  pendingFileName,
  recordingLinkMissing,
  recordingReady,
  stateOf,
} from "@anura/call-events";
import {
  appendEventAndReadCall,
  type CallLogFields,
  type MergedCall,
  type SaveOutcome,
  type StoredCall,
  saveMergedCall,
} from "@anura/db";
import type { WorkerDeps } from "../deps.ts";
import type { CampaignMapper } from "./campaign-cache.ts";
import type { RecentCalls } from "./recent-calls.ts";

// Each attempt lost to another writer of the same call means that writer made progress; this many in a row is a fault.
const MAX_ATTEMPTS = 50;

/**
 * Record one event and merge it into the stored call. The merge is commutative and idempotent, and a
 * save only lands on the version it was merged from, so any order and any number of duplicates give the same call.
 * The first attempt merges into this worker's last save of the call (or none: a new call) and appends the
 * event in the same statement; a guess that proved wrong brings back the call as it stands, to merge again.
 */
export async function recordEventAndDeriveCall(
  deps: Pick<WorkerDeps, "db" | "task">,
  mapCall: CampaignMapper,
  recent: RecentCalls,
  input: { eventId: string; receivedAt: string; event: CallEvent },
): Promise<StoredCall> {
  const { event } = input;
  const row = { id: input.eventId, cdrid: event.cdrid, trigger: event.trigger, receivedAt: input.receivedAt, payload: event };
  let stored = recent.guess(event.cdrid);
  // Once true, the event is in anura_events and `stored` came back from Postgres with it, not from the guess.
  let appended = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const facts = mergeEvent(stored?.facts ?? null, { event, receivedAt: input.receivedAt, eventId: input.eventId });
    const state = stateOf(facts);
    const { campaign, operator } = await mapCall(state);
    const missing = [!campaign && "campaign", !operator && "operator"].filter(Boolean).join(",");
    const call: MergedCall = {
      cdrid: event.cdrid,
      state,
      facts,
      recordingReady: recordingReady(state),
      recordingLinkMissing: recordingLinkMissing(state),
      campaignId: campaign?.campaignId ?? null,
      operatorId: operator?.operatorId ?? null,
      unmappedReason: missing || null,
      // Only reconciliation gives an event this id (the ingester's are random): a webhook cannot claim it.
      source: input.eventId === cdrEventIdFor(event.cdrid) ? "cdr" : "webhook",
    };
    // A redelivery, or an event outranked on every field: nothing to save, once the event is appended
    // and the call read (a guess may be out of date).
    if (stored && facts === stored.facts && !stored.stale && sameMapping(stored, call)) {
      if (appended) return remembered(recent, stored);
      stored = await appendEventAndReadCall(deps.db, row);
      appended = true;
      continue;
    }
    const callLog: CallLogFields | null =
      campaign && operator
        ? {
            date: state.startedAt,
            campaignId: campaign.campaignId,
            operatorId: operator.operatorId,
            aniTel: state.aniTel?.slice(0, 30) ?? null,
            direction: state.direction,
            callStartDate: state.startedAt,
            callEndDate: state.endedAt,
            sectot: state.duration === null ? null : Math.round(state.duration),
            uploadBy: deps.task.username,
            log: `anura events ${state.triggers.join(",")}; campaign from ${campaign.source}; operator from ${operator.source}`,
            pendingFileName: pendingFileName(event.cdrid),
          }
        : null;
    const outcome: SaveOutcome = await saveMergedCall(deps.db, {
      call,
      readVersion: stored?.version ?? null,
      callLog,
      appendEvent: appended ? undefined : row,
    }).catch(async (error: unknown) => {
      // A failed save undoes its append: keep the event stored even if this job never succeeds.
      if (!appended) await appendEventAndReadCall(deps.db, row).catch(() => {});
      throw error;
    });
    if (outcome.saved) return remembered(recent, outcome.call);
    [stored, appended] = [outcome.call, true];
  }
  throw new Error(`call ${event.cdrid} changed under ${MAX_ATTEMPTS} merges in a row; retrying the job`);
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
