import { UnrecoverableError } from "bullmq";

/** The recording is not there yet (404, empty body) or its host failed: try again later. */
export class RecordingNotReady extends Error {
  readonly retryAfterMs?: number;

  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
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
