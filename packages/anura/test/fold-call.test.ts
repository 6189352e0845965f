import { describe, expect, it } from "vitest";
import { type CallEvent, foldCall, normaliseEvent, type ReceivedEvent, recordingReady } from "../src/index.ts";

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

describe("folding a call's events", () => {
  const expected = foldCall(arrive([start, talk, end]));

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
    (_label, order) => expect(foldCall(arrive(order as CallEvent[]))).toEqual(expected),
  );

  it("duplicates and a second START change nothing", () => {
    expect(foldCall(arrive([end, start, talk, start, end, talk]))).toEqual(expected);
  });

  it("a field is never blanked by a later event that lacks it", () => {
    const bareEnd = event({ hooktrigger: "END", duration: "60" });
    const state = foldCall(arrive([start, bareEnd]));
    expect(state).toMatchObject({
      accounttags: "campaign_3",
      direction: "inbound",
      startedAt: "2026-02-10T13:30:00.000Z",
      duration: 60,
    });
  });

  it("END without START still closes the call; START alone leaves it open with no end date", () => {
    expect(foldCall(arrive([end]))).toMatchObject({ ended: true, startedAt: "2026-02-10T13:30:02.000Z" });
    expect(foldCall(arrive([start]))).toMatchObject({ ended: false, endedAt: null });
    expect(recordingReady(foldCall(arrive([start])))).toBe(false);
  });

  it("a RECORDING event alone makes the recording ready, with its fresher URL", () => {
    const recording = event({ hooktrigger: "RECORDING", audio_file_mp3: "https://r.example/c1-fresh.mp3" });
    const state = foldCall(arrive([recording, end]));
    expect(state.recordingUrl).toBe("https://r.example/c1-fresh.mp3");
    expect(recordingReady(foldCall(arrive([recording])))).toBe(true);
  });

  it("an unrecorded END does not start the recording pipeline", () => {
    const unrecorded = event({ hooktrigger: "END", wasrecorded: "false", audio_file_mp3: "" });
    expect(recordingReady(foldCall(arrive([start, unrecorded])))).toBe(false);
  });

  it("the customer's number is the called one on outbound calls", () => {
    const outbound = event({ hooktrigger: "END", direction: "outbound", calling: "305", called: "+5491100000009" });
    expect(foldCall(arrive([outbound])).aniTel).toBe("+5491100000009");
  });
});
