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

/** The event fields merged into a call. */
const FACT_FIELDS = [
  "dialtime",
  "direction",
  "calling",
  "called",
  "duration",
  "billseconds",
  "wasrecorded",
  "recordingUrl",
  "accounttags",
  "queueagentname",
  "queueagentextension",
  "answerextension",
] as const;
type FactField = (typeof FACT_FIELDS)[number];

/**
 * Every field's latest value with the precedence of the event that set it, plus the triggers seen.
 * Merging an event into it is commutative and idempotent, so it is stored and merged one event at a time.
 */
export interface CallFacts {
  cdrid: string;
  triggers: string[];
  fields: { [K in FactField]?: [value: NonNullable<CallEvent[K]>, precedence: string] };
}

export interface ReceivedEvent {
  event: CallEvent;
  receivedAt: string;
  /** Breaks ties between events of the same stage received in the same millisecond. */
  eventId?: string;
}

// Later stages of a call win over earlier ones, whatever order they arrived in.
const RANK: Record<string, number> = { ORIGINATE: 0, START: 1, TALK: 2, END: 3, RECORDING: 4 };
const rank = (trigger: string) => RANK[trigger] ?? 2;

/** (stage, received at, event id) as one string that sorts the way precedence goes. */
function precedenceOf({ event, receivedAt, eventId }: ReceivedEvent): string {
  return `${rank(event.trigger)}|${new Date(receivedAt).toISOString()}|${eventId ?? ""}`;
}

/**
 * The facts after one more event: `facts` itself when the event changes nothing (a duplicate, or one
 * outranked on every field it carries), otherwise a new object. A field set by one event is never blanked by one that lacks it.
 */
export function mergeEvent(facts: CallFacts | null, received: ReceivedEvent): CallFacts {
  const { event } = received;
  const precedence = precedenceOf(received);
  const fields: Record<string, [unknown, string]> = { ...facts?.fields };
  let changed = facts === null;
  for (const name of FACT_FIELDS) {
    const value = event[name];
    const held = fields[name];
    if (value !== null && value !== undefined && (!held || held[1] < precedence)) {
      fields[name] = [value, precedence];
      changed = true; // even for an equal value: its higher precedence must outrank a later-merged lower one
    }
  }
  const seen = facts?.triggers ?? [];
  const triggers = seen.includes(event.trigger) ? seen : [...seen, event.trigger].sort();
  if (facts && !changed && triggers === seen) return facts;
  return { cdrid: facts?.cdrid ?? event.cdrid, triggers, fields: fields as CallFacts["fields"] };
}

/** The call as the rest of the system reads it. */
export function stateOf(facts: CallFacts): CallState {
  const value = <K extends FactField>(name: K) => (facts.fields[name]?.[0] ?? null) as CallEvent[K] | null;
  const { triggers } = facts;
  const startedAt = value("dialtime");
  const duration = value("duration");
  const direction = value("direction");
  const outbound = direction?.startsWith("out") ?? false;
  return {
    cdrid: facts.cdrid,
    triggers,
    ended: triggers.includes("END"),
    startedAt,
    endedAt: startedAt && duration !== null ? new Date(Date.parse(startedAt) + duration * 1000).toISOString() : null,
    direction,
    // The customer's number: who called us inbound, whom we called outbound.
    aniTel: (outbound ? value("called") : value("calling")) ?? null,
    duration,
    billseconds: value("billseconds"),
    wasrecorded: value("wasrecorded") === true || triggers.includes("RECORDING"),
    recordingUrl: value("recordingUrl"),
    accounttags: value("accounttags"),
    queueagentname: value("queueagentname"),
    queueagentextension: value("queueagentextension"),
    answerextension: value("answerextension"),
  };
}

export function mergeEvents(events: ReceivedEvent[]): CallState {
  const facts = events.reduce<CallFacts | null>(mergeEvent, null);
  return stateOf(facts ?? { cdrid: "", triggers: [], fields: {} });
}

/** The recording pipeline starts once the call is over and Anura says a recording exists. */
/** Anura said the call was recorded and it ended, yet no event brought a link to fetch the recording from. */
export function recordingLinkMissing(state: CallState): boolean {
  return state.wasrecorded && state.ended && state.recordingUrl === null;
}

export function recordingReady(state: CallState): boolean {
  return state.wasrecorded && state.recordingUrl !== null && (state.ended || state.triggers.includes("RECORDING"));
}
