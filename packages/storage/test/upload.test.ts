import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { type EmbeddedS3, startEmbeddedS3 } from "@anura/dev-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordingStore, type RecordingStore } from "../src/index.ts";

const MiB = 1024 * 1024;
let directory: string;
let s3: EmbeddedS3;
let store: RecordingStore;
let proxy: Server;
const requests: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "anura-upload-"));
  s3 = await startEmbeddedS3({ directory });
  // In front of S3, passing every request through unchanged, to see which the store sends.
  const target = new URL(s3.endpoint);
  proxy = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  store = createRecordingStore({ ...s3, endpoint, bucket: "uploads", region: "us-east-1" });
  await store.ensureBucket();
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await s3?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** `bytes` of data in uneven chunks (as a download delivers them), failing after `failAfter` bytes when given. */
function body(data: Buffer, failAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && sent >= failAfter) return void this.destroy(new Error("connection reset"));
      if (sent >= data.length) return void this.push(null);
      const chunk = data.subarray(sent, sent + 40_000 + (sent % 7919));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("uploading a recording", () => {
  it.each([
    ["of unknown size", undefined],
    ["of known size over one part", 12 * MiB + 123],
  ])("%s, in parts through one reused buffer, stores exactly the bytes sent", async (_label, size) => {
    const data = randomBytes(12 * MiB + 123); // two full 5 MiB parts and a short last one
    await store.put(`whole-${size ?? "unknown"}.mp3`, body(data), "audio/mpeg", size);
    const stored = await buffer(await store.get(`whole-${size ?? "unknown"}.mp3`));
    expect(stored.length).toBe(data.length);
    expect(sha256(stored)).toBe(sha256(data));
  });

  it("that fails after two parts leaves no object, and aborts the upload so S3 drops its parts", async () => {
    requests.length = 0;
    const data = randomBytes(12 * MiB);
    await expect(store.put("broken.mp3", body(data, 11 * MiB), "audio/mpeg")).rejects.toThrow(/connection reset/);
    expect(await store.exists("broken.mp3")).toBe(false);
    const parts = requests.filter((line) => /^PUT \/uploads\/broken\.mp3\?.*partNumber=/.test(line));
    expect(parts).toHaveLength(2);
    // (s3rver answers the abort 405; MinIO and S3 delete the parts)
    expect(requests.filter((line) => /^DELETE \/uploads\/broken\.mp3\?uploadId=/.test(line))).toHaveLength(1);
    expect(requests.some((line) => line.startsWith("POST /uploads/broken.mp3?uploadId="))).toBe(false); // never completed
  });
});
