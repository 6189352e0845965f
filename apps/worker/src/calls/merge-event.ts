import { type CallEvent, cdrEventIdFor, mergeEvent, recordingLinkMissing, recordingReady, stateOf } from "@anura/call-domain";
import {
  appendEventAndReadCall,
  callLogFields,
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
 * Merge one event into its stored call: append it to anura_events and bring the call (and its call log) up
 * to date. The merge is commutative and idempotent, and a save only lands on the version it was merged from,
 * so any order and any number of duplicates give the same call. The first attempt merges into this worker's
 * last save of the call (or none: a new call) and appends the event in the same statement; a guess that
 * proved wrong brings back the call as it stands, to merge again.
 */
export async function mergeEventIntoCall(
  deps: Pick<WorkerDeps, "db" | "task">,
  mapCall: CampaignMapper,
  recent: RecentCalls,
  received: { eventId: string; receivedAt: string; event: CallEvent },
): Promise<StoredCall> {
  const { event } = received;
  let stored = recent.guess(event.cdrid);
  // Once true, the event is in anura_events and `stored` came back from Postgres with it, not from the guess.
  let appended = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const facts = mergeEvent(stored?.facts ?? null, received);
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
      source: received.eventId === cdrEventIdFor(event.cdrid) ? "cdr" : "webhook",
    };
    // A redelivery, or an event outranked on every field: nothing to save, once the event is appended
    // and the call read (a guess may be out of date).
    if (stored && facts === stored.facts && stored.staleAt === null && sameMapping(stored, call)) {
      if (appended) return remembered(recent, stored);
      stored = await appendEventAndReadCall(deps.db, received);
      appended = true;
      continue;
    }
    const outcome: SaveOutcome = await saveMergedCall(deps.db, {
      call,
      readVersion: stored?.version ?? null,
      callLog: campaign && operator ? callLogFields(state, { campaign, operator }, deps.task.username) : null,
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
