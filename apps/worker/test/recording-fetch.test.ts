import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FetchStack,
  failingThen,
  gaps,
  generateMp3,
  sendAudio,
  sha256,
  startFetchStack,
  taskIdFor,
  waitFor,
} from "./support.ts";

let t: FetchStack;
const mp3 = generateMp3(3);
const longMp3 = generateMp3(12);

beforeAll(async () => {
  // RECORDING_RETRY_DELAYS is "0.2,0.4" in every stack: attempts come 0.16-0.24 s, then 0.32-0.48 s apart.
  t = await startFetchStack({ env: { RECORDING_IDLE_TIMEOUT: "1", RECORDING_RETRY_HORIZON: "60" } });
});
afterAll(() => t?.close());

/** The call's recording is stored whole (bytes and SHA-256), and exactly one task points at it. */
async function expectStoredOnce(cdrid: string, body: Buffer) {
  const job = await t.settledFetch(cdrid, "completed");
  const row = await t.callRow(cdrid);
  expect(row?.recording_key).toBe(`anura/anura_${cdrid}.mp3`);
  expect(Number(row?.recording_bytes)).toBe(body.length);
  expect(row?.recording_sha256).toBe(sha256(body));
  expect(sha256(await t.storedBytes(row?.recording_key))).toBe(sha256(body));
  await waitFor(async () => (await t.taskCount(cdrid)) === 1, { what: `the task of ${cdrid}` });
  const [task] = await t.stack.sql`select url, task_params from tasks where uuid = ${taskIdFor(cdrid)}`;
  expect(task?.url).toBe(row?.recording_key);
  expect(task?.task_params.recording_sha256).toBe(sha256(body));
  return job;
}

describe("a recording that is not ready right after END", () => {
  it("is fetched once the host stops answering 404, following the retry schedule", async () => {
    const { behaviour, seenAt } = failingThen(3, 404, mp3);
    await t.postEnd("late-404", t.stack.recordings.route("/late-404.mp3", behaviour));
    await expectStoredOnce("late-404", mp3);
    expect(t.stack.recordings.hitsFor("/late-404.mp3")).toBe(4);
    const [first, second, third] = gaps(seenAt) as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(150);
    expect(second).toBeGreaterThanOrEqual(300);
    expect(third).toBeGreaterThanOrEqual(300);
    expect(Math.max(first, second, third)).toBeLessThan(1500);
  });

  it("treats a 200 with an empty body, or one too short to be a recording, as not ready yet", async () => {
    const path = "/late-empty.mp3";
    const url = t.stack.recordings.route(path, (_req, res, hit) => {
      if (hit === 1) res.writeHead(200, { "content-type": "audio/mpeg", "content-length": 0 }).end();
      else if (hit === 2)
        res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Procesando grabación…</body></html>");
      else if (hit === 3) sendAudio(res, mp3.subarray(0, 600));
      else sendAudio(res, mp3);
    });
    await t.postEnd("late-empty", url);
    await expectStoredOnce("late-empty", mp3);
    expect(t.stack.recordings.hitsFor(path)).toBe(4);
  });
});

describe("a failing recording host is retried the same way", () => {
  it("5xx answers, then the recording", async () => {
    const path = "/flaky-5xx.mp3";
    const url = t.stack.recordings.route(path, (_req, res, hit) => {
      if (hit === 1) res.writeHead(500).end("boom");
      else if (hit === 2) res.writeHead(502).end("bad gateway");
      else sendAudio(res, mp3);
    });
    await t.postEnd("flaky-5xx", url);
    await expectStoredOnce("flaky-5xx", mp3);
    expect(t.stack.recordings.hitsFor(path)).toBe(3);
  });

  it("honours Retry-After when it asks for longer than the schedule", async () => {
    const { behaviour, seenAt } = failingThen(1, 503, mp3, { "retry-after": "1" });
    await t.postEnd("retry-after", t.stack.recordings.route("/retry-after.mp3", behaviour));
    await expectStoredOnce("retry-after", mp3);
    expect(seenAt).toHaveLength(2);
    expect(gaps(seenAt)[0]).toBeGreaterThanOrEqual(950); // the schedule alone would wait at most 240 ms
  });

  /** Cuts the first response short with `cut`; on the retry, notes whether the failed try left an object, then serves all. */
  function cutThenServe(cdrid: string, cut: (res: ServerResponse) => void) {
    const leftovers: boolean[] = [];
    const url = t.stack.recordings.route(`/${cdrid}.mp3`, async (_req, res, hit) => {
      if (hit > 1) {
        leftovers.push(await t.stack.store.exists(`anura/anura_${cdrid}.mp3`));
        return sendAudio(res, longMp3);
      }
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": longMp3.length });
      res.write(longMp3.subarray(0, longMp3.length / 2), () => setTimeout(() => cut(res), 20));
    });
    return { url, leftovers };
  }

  it("a connection reset mid-body leaves no object; the retry stores the whole recording", async () => {
    const { url, leftovers } = cutThenServe("reset", (res) => res.destroy());
    await t.postEnd("reset", url);
    await expectStoredOnce("reset", longMp3);
    expect(leftovers).toEqual([false]);
  });

  it("a body closed short of its Content-Length leaves no object; the retry stores the whole recording", async () => {
    const { url, leftovers } = cutThenServe("truncated", (res) => res.socket?.end());
    await t.postEnd("truncated", url);
    await expectStoredOnce("truncated", longMp3);
    expect(leftovers).toEqual([false]);
  });

  it("a host that stops sending for longer than RECORDING_IDLE_TIMEOUT is dropped and retried", async () => {
    const path = "/stalled.mp3";
    const url = t.stack.recordings.route(path, (_req, res, hit) => {
      if (hit > 1) return sendAudio(res, longMp3);
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": longMp3.length });
      res.write(longMp3.subarray(0, 4000)); // then silence
    });
    await t.postEnd("stalled", url);
    await expectStoredOnce("stalled", longMp3);
    expect(t.stack.recordings.hitsFor(path)).toBe(2);
  });

  it("a slow host that keeps trickling bytes is not cut off", async () => {
    const path = "/drip.mp3";
    const url = t.stack.recordings.route(path, async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": longMp3.length });
      const chunk = Math.ceil(longMp3.length / 8);
      for (let offset = 0; offset < longMp3.length; offset += chunk) {
        res.write(longMp3.subarray(offset, offset + chunk));
        await new Promise((resolve) => setTimeout(resolve, 300)); // 2.4 s in all, each pause under the 1 s idle timeout
      }
      res.end();
    });
    await t.postEnd("drip", url);
    await expectStoredOnce("drip", longMp3);
    expect(t.stack.recordings.hitsFor(path)).toBe(1);
  });
});

describe("storage is idempotent", () => {
  it("a duplicated fetch overwrites the same object and creates no second task", async () => {
    const path = "/dup.mp3";
    let body = mp3;
    const url = t.stack.recordings.route(path, (_req, res) => sendAudio(res, body));
    await t.postEnd("dup", url);
    await expectStoredOnce("dup", mp3);

    // As if the first run had stored the object but died before recording it: a second job runs in full.
    body = longMp3;
    await t.stack.sql`update anura_calls set recording_stored_at = null where cdrid = 'dup'`;
    await t.fetchQueue.add("recording.fetch", { cdrid: "dup" }, { jobId: "dup-again" });
    await waitFor(async () => (await t.fetchQueue.getJob("dup-again"))?.isCompleted(), { what: "second fetch" });

    const row = await t.callRow("dup");
    expect(row?.recording_key).toBe("anura/anura_dup.mp3");
    expect(sha256(await t.storedBytes("anura/anura_dup.mp3"))).toBe(sha256(longMp3));
    expect(await t.taskCount("dup")).toBe(1);
    expect(t.stack.recordings.hitsFor(path)).toBe(2);
  });
});
