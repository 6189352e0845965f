import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { classifyTransportError } from "../src/recording/download.ts";
import { fetchErrorKind } from "../src/recording/error-kind.ts";
import { RecordingGaveUp, RecordingNotReady, RecordingRejected, RecordingUploadFailed } from "../src/recording/errors.ts";

describe("recording fetch error kinds (the failing-downloads alert leaves not_ready out)", () => {
  it("tells a late recording (404) from a failing host (5xx) and a broken connection", () => {
    expect(fetchErrorKind(new RecordingNotReady("recording host answered 404", undefined, 404))).toBe("not_ready");
    expect(fetchErrorKind(new RecordingNotReady("recording body is only 0 bytes: not ready yet"))).toBe("not_ready");
    expect(fetchErrorKind(new RecordingNotReady("recording host answered 503", undefined, 503))).toBe("host_error");
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(fetchErrorKind(classifyTransportError(reset))).toBe("transport");
  });

  it("names refusals, bucket failures and giving up", () => {
    expect(fetchErrorKind(new RecordingRejected("recording host answered 403"))).toBe("rejected");
    expect(fetchErrorKind(new RecordingUploadFailed(new Error("S3 down")))).toBe("upload");
    expect(fetchErrorKind(new RecordingGaveUp("gave up after 24 h (RECORDING_RETRY_HORIZON): …"))).toBe("gave_up");
    expect(fetchErrorKind(new UnrecoverableError("gave up, says some other error"))).toBe("other");
  });
});
