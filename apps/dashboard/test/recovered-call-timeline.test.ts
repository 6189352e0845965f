import { describe, expect, it } from "vitest";
import type { CallLookup } from "../src/overview/call-lookup.ts";
import { renderRecoveredCalls } from "../src/overview/recovered-calls.ts";
import { timelineSteps } from "../src/overview/timeline-steps.ts";

const SCHEDULE = { delaysSeconds: [10, 30], horizonMs: 3_600_000 };
const at = (time: string) => new Date(`2026-11-30T${time}Z`);
const cdrEnd = { id: "e-cdr", trigger: "END", receivedAt: at("10:00:00"), fromCdr: true, recordingUnavailable: null };

function lookup(events: CallLookup["events"]): CallLookup {
  return { cdrid: "c-1", events, call: null, callLog: null, task: null, fetch: { ok: true, value: null } };
}

describe("a recovered call's timeline", () => {
  it("says the call was found through Anura's CDR list and that no webhook came", () => {
    const [first] = timelineSteps(lookup([cdrEnd]), SCHEDULE);
    expect(first).toMatchObject({ title: "Found through Anura's CDR list (reconciliation)", tone: "problem" });
    expect(first?.detail).toMatch(/^no webhook came for this call/);
  });

  it("says so too when its webhooks came late, and why a recording could not be had", () => {
    const late = { id: "e-hook", trigger: "END", receivedAt: at("10:05:00"), fromCdr: false, recordingUnavailable: null };
    const unavailable = { ...cdrEnd, recordingUnavailable: "Anura has no recording for this call (HTTP 404)" };
    const steps = timelineSteps(lookup([unavailable, late]), SCHEDULE);
    expect(steps[0]?.detail).toBe(
      "its webhooks came as well (1 event): still one call, one call log, one task; recording not obtainable: Anura has no recording for this call (HTTP 404)",
    );
    expect(steps[1]?.title).toBe("Anura: the call ended (END)");
  });
});

describe("the overview's recovered calls", () => {
  it("lists each hour with recoveries and the total", () => {
    const page = renderRecoveredCalls({ perHour: [["2026-11-30T10:00:00.000Z", 3]], total: 3 }).value;
    expect(page).toContain('<td>2026-11-30 10:00</td><td class="n">3</td>');
    expect(renderRecoveredCalls({ perHour: [], total: 0 }).value).toContain("None in the last 24 hours");
  });
});
