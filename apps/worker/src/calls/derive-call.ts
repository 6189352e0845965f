import { type CallEvent, type CallFacts, mergeEvent, pendingFileName, recordingReady, stateOf } from "@anura/call-events";
import {
  appendEventAndReadCall,
  type CallLogFields,
  eventsForCall,
  type MergedCall,
  type StoredCall,
  saveMergedCall,
} from "@anura/db";
import type { WorkerDeps } from "../deps.ts";
import type { CampaignMapper } from "./campaign-cache.ts";

// Each attempt lost to another writer of the same call means that writer made progress; this many in a row is a fault.
const MAX_ATTEMPTS = 50;

/**
 * Record one event and merge it into the stored call. The merge is commutative and idempotent, and a
 * save only lands on the version it was merged from, so any order and any number of duplicates give the same call.
 */
export async function recordEventAndDeriveCall(
  deps: Pick<WorkerDeps, "db" | "task">,
  mapCall: CampaignMapper,
  input: { eventId: string; receivedAt: string; event: CallEvent },
): Promise<StoredCall> {
  const { event } = input;
  const row = { id: input.eventId, cdrid: event.cdrid, trigger: event.trigger, receivedAt: input.receivedAt, payload: event };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = await appendEventAndReadCall(deps.db, row);
    const before = stored && (stored.facts ?? (await factsFromEvents(deps, event.cdrid)));
    const facts = mergeEvent(before, { event, receivedAt: input.receivedAt, eventId: input.eventId });
    const state = stateOf(facts);
    const { campaign, operator } = await mapCall(state);
    const missing = [!campaign && "campaign", !operator && "operator"].filter(Boolean).join(",");
    const call: MergedCall = {
      cdrid: event.cdrid,
      state,
      facts,
      recordingReady: recordingReady(state),
      campaignId: campaign?.campaignId ?? null,
      operatorId: operator?.operatorId ?? null,
      unmappedReason: missing || null,
    };
    // A redelivery, or an event outranked on every field: already appended, nothing to save.
    if (stored && facts === stored.facts && !stored.stale && sameMapping(stored, call)) return stored;
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
    const saved = await saveMergedCall(deps.db, { call, readVersion: stored?.version ?? null, callLog });
    if (saved) return saved;
  }
  throw new Error(`call ${event.cdrid} changed under ${MAX_ATTEMPTS} merges in a row; retrying the job`);
}

function sameMapping(stored: StoredCall, call: MergedCall): boolean {
  return (
    stored.campaignId === call.campaignId &&
    stored.operatorId === call.operatorId &&
    stored.unmappedReason === call.unmappedReason
  );
}

/** A call saved before facts were stored: rebuild them once from its events. */
async function factsFromEvents(deps: Pick<WorkerDeps, "db">, cdrid: string): Promise<CallFacts | null> {
  const events = await eventsForCall(deps.db, cdrid);
  return events.reduce<CallFacts | null>(
    (facts, e) => mergeEvent(facts, { event: e.payload, receivedAt: e.receivedAt.toISOString(), eventId: e.id }),
    null,
  );
}
