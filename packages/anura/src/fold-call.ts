import type { CallEvent } from "./call-event.ts";

/** What the call looks like given every event seen so far, independent of arrival order. */
export interface CallState {
  cdrid: string;
  triggers: string[];
  ended: boolean;
  startedAt: string | null;
  endedAt: string | null;
  direction: string | null;
  aniTel: string | null;
  duration: number | null;
  billseconds: number | null;
  wasrecorded: boolean;
  recordingUrl: string | null;
  accounttags: string | null;
  queueagentname: string | null;
  queueagentextension: string | null;
  answerextension: string | null;
}

// Later stages of a call win over earlier ones, whatever order they arrived in.
const RANK: Record<string, number> = { ORIGINATE: 0, START: 1, TALK: 2, END: 3, RECORDING: 4 };
const rank = (trigger: string) => RANK[trigger] ?? 2;

export interface ReceivedEvent {
  event: CallEvent;
  receivedAt: string;
}

export function foldCall(events: ReceivedEvent[]): CallState {
  const ordered = [...events].sort(
    (a, b) => rank(a.event.trigger) - rank(b.event.trigger) || a.receivedAt.localeCompare(b.receivedAt),
  );
  const merged: Partial<CallEvent> = {};
  for (const { event } of ordered) {
    for (const [key, value] of Object.entries(event)) {
      // A field set by one event is never blanked by a later one that lacks it.
      if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  const triggers = [...new Set(events.map((e) => e.event.trigger))].sort();
  const startedAt = merged.dialtime ?? null;
  const duration = merged.duration ?? null;
  const outbound = merged.direction?.startsWith("out") ?? false;
  return {
    cdrid: events[0]?.event.cdrid ?? "",
    triggers,
    ended: triggers.includes("END"),
    startedAt,
    endedAt: startedAt && duration !== null ? new Date(Date.parse(startedAt) + duration * 1000).toISOString() : null,
    direction: merged.direction ?? null,
    // The customer's number: who called us inbound, whom we called outbound.
    aniTel: (outbound ? merged.called : merged.calling) ?? null,
    duration,
    billseconds: merged.billseconds ?? null,
    wasrecorded: merged.wasrecorded === true || triggers.includes("RECORDING"),
    recordingUrl: merged.recordingUrl ?? null,
    accounttags: merged.accounttags ?? null,
    queueagentname: merged.queueagentname ?? null,
    queueagentextension: merged.queueagentextension ?? null,
    answerextension: merged.answerextension ?? null,
  };
}

/** The recording pipeline starts once the call is over and Anura says a recording exists. */
export function recordingReady(state: CallState): boolean {
  return state.wasrecorded && state.recordingUrl !== null && (state.ended || state.triggers.includes("RECORDING"));
}
