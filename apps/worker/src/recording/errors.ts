import { UnrecoverableError } from "bullmq";

/** The recording is not there yet (404, empty body) or its host failed: try again later. */
export class RecordingNotReady extends Error {
  readonly retryAfterMs?: number;
  /** The host's HTTP status (a 5xx is a failing host, a 404 a late recording); 0 when it never answered. */
  readonly status?: number;

  constructor(message: string, retryAfterMs?: number, status?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
    this.status = status;
    this.name = "RecordingNotReady";
  }
}

/** Retrying will never help: a refused address, an expired link, content that is not audio. */
export class RecordingRejected extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = "RecordingRejected";
  }
}

/** Still not ready past RECORDING_RETRY_HORIZON: the download is failed for good, visibly. */
export class RecordingGaveUp extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = "RecordingGaveUp";
  }
}

/** The bucket did not take the recording (S3 down or failing): retried like a late recording. */
export class RecordingUploadFailed extends Error {
  constructor(cause: Error) {
    const code = (cause as { code?: string }).code ?? cause.name;
    super(`storing the recording in the bucket failed (${code}): will retry`, { cause });
    this.name = "RecordingUploadFailed";
  }
}
