import type { NeedsAttentionSettings, RecordingRetrySettings } from "@anura/config";

/** One call that needs a person: why, since when, and what happens if nobody acts. */
export interface AttentionRow {
  reason: string;
  cdrid: string;
  since: Date;
  /** The reason in words, with what was seen (last error, tags); never a phone number. */
  detail: string;
  /** What the system does next on its own, read from the policy that does it. */
  next: string;
}

/** What every reason reads besides the stores. */
export interface AttentionContext {
  settings: NeedsAttentionSettings;
  /** The worker's recording retry schedule (RECORDING_RETRY_DELAYS, RECORDING_RETRY_HORIZON). */
  recordingRetry: RecordingRetrySettings;
}
