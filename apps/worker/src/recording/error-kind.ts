/** What went wrong with a recording.fetch attempt, coarse enough to be a metric label. */
export type FetchErrorKind = "not_ready" | "host_error" | "transport" | "rejected" | "upload" | "gave_up" | "other";

/** A 404 or an empty body is a late recording (normal for a few attempts); a 5xx, a reset or a refusal is a failure. */
export function fetchErrorKind(error: Error): FetchErrorKind {
  switch (error.name) {
    case "RecordingNotReady": {
      const status = (error as { status?: number }).status;
      if (status === 0) return "transport";
      return status !== undefined && status >= 500 ? "host_error" : "not_ready";
    }
    case "RecordingRejected":
      return "rejected";
    case "RecordingUploadFailed":
      return "upload";
    case "UnrecoverableError":
      return error.message.startsWith("gave up") ? "gave_up" : "other";
    default:
      return "other";
  }
}
