import type { CallState } from "@anura/call-domain";
import type { RecordingRetrySettings } from "@anura/config";
import { jobRegistry } from "@anura/queue";
import { formatDuration, formatTime } from "../http/html.ts";
import type { CallLookup } from "./call-lookup.ts";
import type { FetchProgress } from "./fetch-progress.ts";

const fetchRetry = jobRegistry["recording.fetch"].retry;

export type Tone = "done" | "waiting" | "problem" | "info";

/** One line of a call's story, in an operator's words. */
export interface Step {
  at: Date | null;
  tone: Tone;
  title: string;
  detail?: string;
  /** Offer the retry button for this call's failed download. */
  retry?: boolean;
}

/** The recording's part of the story: announced, downloading (attempt n of about N), failed, or stored. */
export function recordingSteps(lookup: CallLookup, state: CallState | null, schedule: RecordingRetrySettings): Step[] {
  const call = lookup.call;
  const steps: Step[] = [];
  if (state && !state.wasrecorded) {
    return [{ at: null, tone: "info", title: "Anura says this call was not recorded: there is nothing to download" }];
  }
  const fetch = lookup.fetch.ok ? lookup.fetch.value : null;
  // Once stored, the finished download is told in the stored step (the two happen together).
  const finished = fetch?.state === "completed" && call?.recordingStoredAt;
  if (!lookup.fetch.ok) steps.push({ at: null, tone: "problem", title: lookup.fetch.problem });
  else if (fetch && !finished) steps.push(downloadStep(fetch, schedule));
  else if (!call?.recordingStoredAt && state?.recordingUrl) {
    steps.push({
      at: null,
      tone: "waiting",
      title: "No recording download is queued",
      detail: state.ended
        ? "The worker's sweeper queues it again if it is still missing after RECONCILE_AFTER."
        : "It starts once Anura sends END (or RECORDING).",
    });
  }
  if (call?.recordingStoredAt) {
    const size = call.recordingBytes === null ? "size unknown" : formatBytes(call.recordingBytes);
    const length = call.recordingDuration === null ? "duration unknown" : formatDuration(call.recordingDuration * 1000);
    steps.push({
      at: call.recordingStoredAt,
      tone: "done",
      title: `Recording stored in the bucket: ${size}, ${length}`,
      detail: [
        call.recordingKey ? `Object ${call.recordingKey}` : "",
        finished ? `downloaded on attempt ${fetch.attemptsMade}` : "",
      ]
        .filter(Boolean)
        .join(", "),
    });
  }
  return steps;
}

function downloadStep(fetch: FetchProgress, schedule: RecordingRetrySettings): Step {
  const tried = fetch.attemptsMade;
  const lastError = fetch.lastError ? `Last error: ${fetch.lastError}.` : "";
  switch (fetch.state) {
    case "waiting":
      return {
        at: fetch.queuedAt,
        tone: "waiting",
        title: `Recording download queued, waiting for a worker (attempt ${tried + 1})`,
        detail: lastError || undefined,
      };
    case "active":
      return { at: null, tone: "waiting", title: `Downloading the recording now (attempt ${tried + 1})` };
    case "delayed": {
      const givesUpAt = fetchRetry.givesUpAt(fetch.queuedAt, schedule);
      const next = fetch.nextAttemptAt ? `Next attempt at ${formatTime(fetch.nextAttemptAt)}` : "Next attempt soon";
      return {
        at: fetch.queuedAt,
        tone: "waiting",
        title: `Recording not ready yet: attempt ${tried} of about ${fetchRetry.expectedAttempts(schedule)} failed`,
        detail: `${lastError} ${next}; gives up at ${formatTime(givesUpAt)} (RECORDING_RETRY_HORIZON).`.trim(),
      };
    }
    case "failed":
      return {
        at: fetch.finishedAt,
        tone: "problem",
        title: `Recording download failed after ${tried} attempt${tried === 1 ? "" : "s"}`,
        detail: `Reason: ${fetch.lastError ?? "none recorded"}. Once the cause is fixed, retry it here.`,
        retry: true,
      };
    case "completed":
      return { at: fetch.finishedAt, tone: "done", title: `Recording downloaded on attempt ${tried}` };
    default:
      return { at: fetch.queuedAt, tone: "info", title: `Recording download is ${fetch.state}` };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
