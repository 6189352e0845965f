import { describe, expect, it } from "vitest";
import type { CallLookup } from "../src/overview/call-lookup.ts";
import type { FetchProgress } from "../src/overview/fetch-progress.ts";
import { timelineSteps } from "../src/overview/timeline-steps.ts";

const DEFAULT_SCHEDULE = { delaysSeconds: [10, 30, 60, 120, 300, 900, 3600], horizonMs: 24 * 3_600_000 };
const at = (time: string) => new Date(`2026-11-30T${time}Z`);

function lookup(overrides: Partial<CallLookup>): CallLookup {
  return {
    cdrid: "c-1",
    events: [{ id: "e1", trigger: "END", receivedAt: at("10:00:00"), fromCdr: false, recordingUnavailable: null }],
    call: null,
    callLog: null,
    task: null,
    fetch: { ok: true, value: null },
    ...overrides,
  };
}

const state = { wasrecorded: true, recordingUrl: "https://rec.example/1.mp3", ended: true, duration: 120 };
const call = (fields: Record<string, unknown>) =>
  ({ state, unmappedReason: null, recordingStoredAt: null, updatedAt: at("10:00:01"), ...fields }) as CallLookup["call"];

/** The call's download as BullMQ reports it, queued a second after the END. */
const fetchState = (progress: Partial<FetchProgress> & Pick<FetchProgress, "state" | "attemptsMade">): CallLookup["fetch"] => ({
  ok: true,
  value: { jobId: "fetch-x", queuedAt: at("10:00:01"), lastError: null, nextAttemptAt: null, finishedAt: null, ...progress },
});

describe("a call's timeline", () => {
  it("says which attempt of a late recording failed, why, and when the next one runs", () => {
    const steps = timelineSteps(
      lookup({
        call: call({}),
        fetch: fetchState({
          state: "delayed",
          attemptsMade: 2,
          lastError: "recording host answered 404: not ready yet or failing",
          nextAttemptAt: at("10:01:00"),
        }),
      }),
      DEFAULT_SCHEDULE,
    );
    const download = steps.find((step) => step.title.startsWith("Recording not ready yet"));
    expect(download?.title).toBe("Recording not ready yet: attempt 2 of about 30 failed");
    expect(download?.detail).toContain("Last error: recording host answered 404");
    expect(download?.detail).toContain("Next attempt at 2026-11-30 10:01:00 UTC");
    expect(download?.detail).toContain("gives up at 2026-12-01 10:00:01 UTC");
  });

  it("offers the retry button only for a failed download", () => {
    const failed = timelineSteps(
      lookup({
        call: call({}),
        fetch: fetchState({
          state: "failed",
          attemptsMade: 1,
          lastError: "recording host answered 403: the link expired or needs credentials",
          finishedAt: at("10:00:02"),
        }),
      }),
      DEFAULT_SCHEDULE,
    );
    expect(failed.filter((step) => step.retry).map((step) => step.title)).toEqual(["Recording download failed after 1 attempt"]);
    const stored = timelineSteps(
      lookup({ call: call({ recordingStoredAt: at("10:00:03"), recordingBytes: 48_000, recordingDuration: 3 }) }),
      DEFAULT_SCHEDULE,
    );
    expect(stored.some((step) => step.retry)).toBe(false);
    expect(stored.map((step) => step.title)).toContain("Recording stored in the bucket: 46.9 KiB, 3 s");
  });

  it("puts AuditorIA's failure last, with its error, after the task was created", () => {
    const steps = timelineSteps(
      lookup({
        call: call({ recordingStoredAt: at("10:00:03"), recordingBytes: 1000, recordingDuration: 3 }),
        task: {
          uuid: "t-1",
          status: "failed",
          error: "audio could not be decoded",
          audioDuration: 3,
          createdAt: at("10:00:04"),
          updatedAt: at("10:05:00"),
        } as CallLookup["task"],
      }),
      DEFAULT_SCHEDULE,
    );
    expect(steps.map((step) => step.title).slice(-2)).toEqual([
      "Transcription task created for AuditorIA",
      "AuditorIA could not transcribe it (failed)",
    ]);
    expect(steps.at(-1)?.tone).toBe("problem");
    expect(steps.at(-1)?.detail).toBe("Error: audio could not be decoded");
  });
});
