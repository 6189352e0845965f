import { describe, expect, it } from "vitest";
import {
  type CallEvent,
  type CallFacts,
  mergeEvent,
  mergeEvents,
  normaliseEvent,
  type ReceivedEvent,
  recordingReady,
} from "../src/index.ts";

function event(fields: Record<string, unknown>): CallEvent {
  const result = normaliseEvent({ cdrid: "c1", ...fields }, "America/Argentina/Buenos_Aires");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const start = event({
  hooktrigger: "START",
  dialtime: "2026-02-10 10:30:00",
  direction: "inbound",
  calling: "+5491100000001",
  accounttags: "campaign_3",
});
const talk = event({ hooktrigger: "TALK", dialtime: "2026-02-10 10:30:00", queueagentextension: "305", answerextension: "306" });
// END carries a corrected dialtime: the later stage must win over START's whatever the arrival order.
const end = event({
  hooktrigger: "END",
  dialtime: "2026-02-10 10:30:02",
  duration: "120",
  wasrecorded: "true",
  audio_file_mp3: "https://r.example/c1.mp3",
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function arrive(events: CallEvent[]): ReceivedEvent[] {
  return events.map((e, i) => ({ event: e, receivedAt: new Date(Date.UTC(2026, 1, 10, 13, 31, i)).toISOString() }));
}

describe("merging a call's events", () => {
  const expected = mergeEvents(arrive([start, talk, end]));

  it("gives the merged call in natural order", () => {
    expect(expected).toMatchObject({
      triggers: ["END", "START", "TALK"],
      ended: true,
      startedAt: "2026-02-10T13:30:02.000Z",
      endedAt: "2026-02-10T13:32:02.000Z",
      direction: "inbound",
      aniTel: "+5491100000001",
      accounttags: "campaign_3",
      answerextension: "306",
      wasrecorded: true,
    });
    expect(recordingReady(expected)).toBe(true);
  });

  it.each(permutations([start, talk, end]).map((order) => [order.map((e) => e.trigger).join("→"), order]))(
    "arriving as %s gives the same call",
    (_label, order) => expect(mergeEvents(arrive(order as CallEvent[]))).toEqual(expected),
  );

  it("duplicates and a second START change nothing", () => {
    expect(mergeEvents(arrive([end, start, talk, start, end, talk]))).toEqual(expected);
  });

  it("a field is never blanked by a later event that lacks it", () => {
    const bareEnd = event({ hooktrigger: "END", duration: "60" });
    const state = mergeEvents(arrive([start, bareEnd]));
    expect(state).toMatchObject({
      accounttags: "campaign_3",
      direction: "inbound",
      startedAt: "2026-02-10T13:30:00.000Z",
      duration: 60,
    });
  });

  it("END without START still closes the call; START alone leaves it open with no end date", () => {
    expect(mergeEvents(arrive([end]))).toMatchObject({ ended: true, startedAt: "2026-02-10T13:30:02.000Z" });
    expect(mergeEvents(arrive([start]))).toMatchObject({ ended: false, endedAt: null });
    expect(recordingReady(mergeEvents(arrive([start])))).toBe(false);
  });

  it("a RECORDING event alone makes the recording ready, with its fresher URL", () => {
    const recording = event({ hooktrigger: "RECORDING", audio_file_mp3: "https://r.example/c1-fresh.mp3" });
    const state = mergeEvents(arrive([recording, end]));
    expect(state.recordingUrl).toBe("https://r.example/c1-fresh.mp3");
    expect(recordingReady(mergeEvents(arrive([recording])))).toBe(true);
  });

  it("an unrecorded END does not start the recording pipeline", () => {
    const unrecorded = event({ hooktrigger: "END", wasrecorded: "false", audio_file_mp3: "" });
    expect(recordingReady(mergeEvents(arrive([start, unrecorded])))).toBe(false);
  });

  it("the customer's number is the called one on outbound calls", () => {
    const outbound = event({ hooktrigger: "END", direction: "outbound", calling: "305", called: "+5491100000009" });
    expect(mergeEvents(arrive([outbound])).aniTel).toBe("+5491100000009");
  });
});

describe("merging one event at a time into stored facts", () => {
  const at = "2026-02-10T13:31:00.000Z";
  const received = (e: CallEvent, eventId: string, receivedAt = at): ReceivedEvent => ({ event: e, receivedAt, eventId });
  const merged = (events: ReceivedEvent[]) => events.reduce<CallFacts | null>(mergeEvent, null);
  // Two ENDs received in the same millisecond that disagree: the event id decides, not arrival order.
  const endA = received(end, "a");
  const endB = received(event({ hooktrigger: "END", duration: "95", wasrecorded: "true" }), "b");
  const all = [received(start, "s"), received(talk, "t"), endA, endB];

  it("gives the same facts in every arrival order, duplicates included", () => {
    const expected = merged(all);
    for (const order of permutations(all)) expect(merged([...order, order[0] as ReceivedEvent])).toEqual(expected);
    expect(expected?.fields.duration?.[0]).toBe(95);
  });

  it("returns the stored facts themselves for a redelivered event, so nothing needs saving", () => {
    const facts = merged(all) as CallFacts;
    expect(mergeEvent(facts, endA)).toBe(facts);
    expect(mergeEvent(facts, received(start, "s"))).toBe(facts);
  });

  it("an equal value from a later stage still outranks an earlier stage merged after it", () => {
    const tagged = (trigger: string, tags: string, id: string) =>
      received(event({ hooktrigger: trigger, accounttags: tags }), id);
    const order1 = merged([
      tagged("START", "campaign_1", "1"),
      tagged("END", "campaign_1", "3"),
      tagged("TALK", "campaign_2", "2"),
    ]);
    const order2 = merged([
      tagged("TALK", "campaign_2", "2"),
      tagged("START", "campaign_1", "1"),
      tagged("END", "campaign_1", "3"),
    ]);
    expect(order1?.fields.accounttags?.[0]).toBe("campaign_1");
    expect(order1).toEqual(order2);
  });
});
