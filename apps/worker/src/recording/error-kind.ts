import { RecordingGaveUp, RecordingNotReady, RecordingRejected, RecordingUploadFailed } from "./errors.ts";

/** What went wrong with a recording.fetch attempt, coarse enough to be a metric label. */
export type FetchErrorKind = "not_ready" | "host_error" | "transport" | "rejected" | "upload" | "gave_up" | "other";

/** A 404 or an empty body is a late recording (normal for a few attempts); a 5xx, a reset or a refusal is a failure. */
export function fetchErrorKind(error: Error): FetchErrorKind {
  if (error instanceof RecordingNotReady) {
    if (error.status === 0) return "transport";
    return error.status !== undefined && error.status >= 500 ? "host_error" : "not_ready";
  }
  if (error instanceof RecordingRejected) return "rejected";
  if (error instanceof RecordingUploadFailed) return "upload";
  if (error instanceof RecordingGaveUp) return "gave_up";
  return "other";
}
