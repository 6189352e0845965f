import { createHash } from "node:crypto";
import { PassThrough, type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { recordingFileName, recordingObjectKey } from "@anura/call-domain";
import type { RecordingStore } from "@anura/storage";
import { type AudioFormat, sniffAudio } from "./audio-format.ts";
import { classifyTransportError, type DownloadOptions, openRecording } from "./download.ts";
import { DurationInput } from "./duration-input.ts";
import { RecordingNotReady, RecordingRejected, RecordingUploadFailed } from "./errors.ts";

/** Below this a "recording" is a placeholder Anura serves while it is still processing. */
export const MIN_RECORDING_BYTES = 1024;

export interface StoredRecording {
  key: string;
  fileName: string;
  contentType: string;
  bytes: number;
  sha256: string;
  duration: number | null;
}

export interface CopyOptions extends DownloadOptions {
  maxBytes: number;
  onProgress?: (bytes: number) => void;
}

/** Download → check → hash → measure → upload, as one stream: memory stays flat whatever the size. */
export async function copyRecordingToStore(
  url: string,
  cdrid: string,
  store: RecordingStore,
  options: CopyOptions,
): Promise<StoredRecording> {
  const source = await openRecording(url, options);
  const declared = Number(source.response?.headers["content-length"] ?? Number.NaN);
  if (declared > options.maxBytes) {
    source.destroy();
    throw new RecordingRejected(`recording is ${declared} bytes, larger than RECORDING_MAX_BYTES (${options.maxBytes} bytes)`);
  }
  // Whatever it contains, a body this short is the placeholder served while Anura is still processing.
  const { head, ended } = await peekHead(source, MIN_RECORDING_BYTES);
  if (ended) throw new RecordingNotReady(`recording body is only ${head.length} bytes: not ready yet`);
  const format = sniffAudio(head);
  if (!format) {
    source.destroy();
    throw new RecordingRejected(
      `recording is not audio (starts with ${JSON.stringify(head.subarray(0, 12).toString("latin1"))})`,
    );
  }
  const meter = new RecordingMeter(
    options.maxBytes,
    format,
    Number.isFinite(declared) ? declared : undefined,
    options.onProgress,
  );
  const key = recordingObjectKey(cdrid, format.extension);
  try {
    const size = Number.isFinite(declared) ? declared : undefined;
    const upload = store.put(key, meter.upload, format.contentType, size).catch((error: Error) => {
      throw new RecordingUploadFailed(error);
    });
    await Promise.all([pipeline(source, meter), upload]);
  } catch (error) {
    meter.abort(error as Error);
    throw error instanceof RecordingUploadFailed ? error : classifyTransportError(error as Error);
  }
  return {
    key,
    fileName: recordingFileName(cdrid, format.extension),
    contentType: format.contentType,
    bytes: meter.bytes,
    sha256: meter.sha256(),
    duration: await meter.duration,
  };
}

/** Counts, hashes and bounds the bytes, feeding the upload and the duration reader from one pass. */
class RecordingMeter extends Transform {
  bytes = 0;
  readonly upload = new PassThrough();
  readonly duration: Promise<number | null>;
  private readonly hash = createHash("sha256");
  private readonly metadataInput = new DurationInput();

  private readonly maxBytes: number;
  private readonly onProgress?: (bytes: number) => void;

  constructor(maxBytes: number, format: AudioFormat, declaredBytes: number | undefined, onProgress?: (bytes: number) => void) {
    super();
    this.maxBytes = maxBytes;
    this.onProgress = onProgress;
    // Knowing the size lets a constant-bitrate duration be computed without scanning every frame.
    const fileInfo = { mimeType: format.contentType, size: declaredBytes };
    // Loaded on the first recording (the input buffers meanwhile): an idle worker never needs music-metadata.
    this.duration = import("music-metadata")
      .then(({ parseWebStream }) => parseWebStream(this.metadataInput.stream, fileInfo, { duration: true }))
      .then((metadata) => metadata.format.duration ?? null)
      .catch(() => null)
      .finally(() => this.metadataInput.stop()); // drop the rest, so the upload is never held back
    this.pipe(this.upload);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new RecordingRejected(`recording is larger than RECORDING_MAX_BYTES (${this.maxBytes} bytes)`));
      return;
    }
    this.hash.update(chunk);
    this.onProgress?.(this.bytes);
    this.metadataInput.write(chunk, () => callback(null, chunk));
  }

  override _flush(callback: TransformCallback): void {
    this.metadataInput.end();
    callback();
  }

  sha256(): string {
    return this.hash.digest("hex");
  }

  /** Fail the upload without completing it, so no partial object is ever written under the key. */
  abort(error: Error): void {
    this.metadataInput.fail(error);
    // minio pipes the body without listening for its errors: an unheard one would crash the process.
    this.upload.on("error", () => {});
    this.upload.destroy(error);
  }
}

/** Reads at least `size` bytes (or to the end) and puts them back, so the stream is still whole. */
function peekHead(stream: Readable, size: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean) => {
      stream.off("data", onData).off("end", onEnd).off("error", onError);
      stream.pause();
      const head = Buffer.concat(chunks);
      if (!ended) stream.unshift(head);
      resolve({ head, ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => reject(classifyTransportError(error));
    stream.on("data", onData).once("end", onEnd).once("error", onError);
  });
}
