import { type CallEvent, type CallState, foldCall, pendingFileName } from "@anura/anura";
import {
  type CallRow,
  eventsForCall,
  insertEvent,
  lockCall,
  mapToExistingCampaign,
  saveCallState,
  upsertCallLog,
} from "@anura/db";
import type { WorkerDeps } from "../deps.ts";

export interface DerivedCall {
  state: CallState;
  call: CallRow;
}

/**
 * Record one event and rebuild the call from every event it has, under a per-call lock:
 * the result is the same whatever order, or how many times, the events arrived.
 */
export function recordEventAndDeriveCall(
  deps: WorkerDeps,
  input: { eventId: string; receivedAt: string; event: CallEvent },
): Promise<DerivedCall> {
  const { event } = input;
  return deps.db.transaction(async (tx) => {
    await lockCall(tx, event.cdrid);
    await insertEvent(tx, {
      id: input.eventId,
      cdrid: event.cdrid,
      trigger: event.trigger,
      receivedAt: new Date(input.receivedAt),
      payload: event,
    });
    const events = await eventsForCall(tx, event.cdrid);
    const state = foldCall(events.map((row) => ({ event: row.payload as CallEvent, receivedAt: row.receivedAt.toISOString() })));

    const { campaign, operator } = await mapToExistingCampaign(tx, state, deps.mapping);
    const missing = [!campaign && "campaign", !operator && "operator"].filter(Boolean).join(",");

    const call = await saveCallState(tx, {
      cdrid: event.cdrid,
      state,
      campaignId: campaign?.campaignId ?? null,
      operatorId: operator?.operatorId ?? null,
      unmappedReason: missing || null,
    });
    if (campaign && operator) {
      await upsertCallLog(tx, {
        fileName: call.recordingFileName ?? pendingFileName(event.cdrid),
        url: call.recordingKey,
        callId: event.cdrid,
        date: dateOrNull(state.startedAt),
        campaignId: campaign.campaignId,
        operatorId: operator.operatorId,
        aniTel: state.aniTel?.slice(0, 30) ?? null,
        direction: state.direction,
        callStartDate: dateOrNull(state.startedAt),
        callEndDate: dateOrNull(state.endedAt),
        sectot: state.duration === null ? null : Math.round(state.duration),
        uploadBy: deps.task.username,
        log: `anura events ${state.triggers.join(",")}; campaign from ${campaign.source}; operator from ${operator.source}`,
      });
    }
    return { state, call };
  });
}

function dateOrNull(iso: string | null): Date | null {
  return iso ? new Date(iso) : null;
}
