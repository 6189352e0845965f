import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { taskIdFor } from "@anura/anura";
import { parseEnv, workerEnv } from "@anura/config";
import { createLogger } from "@anura/logger";
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
// A relative import: @anura/testing depends on this app, so it is not (yet) a dependency of it.
import { type Behaviour, seedEndEvent, startStack, TEST_REDIS_URL, waitFor } from "../../../packages/testing/src/index.ts";
import { startWorker } from "../src/start-worker.ts";

export { type Behaviour, generateMp3, RecordingServer, type Stack, waitFor } from "../../../packages/testing/src/index.ts";

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * A stack with a campaign and an API key, a handle on its recording.fetch queue, and a worker of
 * our own whose log lines are kept in `logs`, so tests can see what was (not) logged.
 */
export async function startFetchStack(options: { env?: Record<string, string> } = {}) {
  const stack = await startStack({ env: options.env, worker: false });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ name: "worker-test", level: "debug", destination: sink });
  const worker = await startWorker(parseEnv(workerEnv, stack.env), log);
  const apiKey = await stack.createApiKey();
  await stack.createCampaign(1, "Ventas");
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const fetchQueue = new Queue("recording.fetch", { connection, prefix: stack.prefix });
  return {
    stack,
    worker,
    logs,
    fetchQueue,
    /** POST a webhook as Anura would; it must be accepted. */
    async postEvent(body: Record<string, unknown>) {
      const res = await stack.post(body, { "X-API-Key": apiKey });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res;
    },
    /** POST a recorded call's END, as Anura sends it, pointing at `recordingUrl`. */
    postEnd(cdrid: string, recordingUrl: string, overrides: Record<string, unknown> = {}) {
      return this.postEvent(endEvent(cdrid, recordingUrl, overrides));
    },
    fetchJob: (cdrid: string) => fetchQueue.getJob(`fetch-${taskIdFor(cdrid)}`),
    /** Wait until the call's fetch job reaches `state`; returns the job as it is then. */
    async settledFetch(cdrid: string, state: "completed" | "failed", timeoutMs = 20_000): Promise<Job> {
      const id = `fetch-${taskIdFor(cdrid)}`;
      await waitFor(async () => (await fetchQueue.getJobState(id)) === state, {
        what: `recording.fetch of ${cdrid} to be ${state}`,
        timeoutMs,
      });
      return (await fetchQueue.getJob(id)) as Job; // read after the state change, so failedReason is current
    },
    async callRow(cdrid: string) {
      const [row] = await stack.sql`select * from anura_calls where cdrid = ${cdrid}`;
      return row;
    },
    async taskCount(cdrid: string): Promise<number> {
      const [row] = await stack.sql`select count(*)::int as n from tasks where uuid = ${taskIdFor(cdrid)}`;
      return row?.n as number;
    },
    async storedBytes(key: string): Promise<Buffer> {
      return buffer(await stack.store.get(key));
    },
    async close() {
      await worker.close();
      await fetchQueue.close();
      await connection.quit();
      await stack.close();
    },
  };
}

export type FetchStack = Awaited<ReturnType<typeof startFetchStack>>;

export function endEvent(cdrid: string, recordingUrl: string, overrides: Record<string, unknown> = {}) {
  return seedEndEvent(recordingUrl, { cdrid, ...overrides });
}

export function sendAudio(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { "content-type": "audio/mpeg", "content-length": body.length }).end(body);
}

/** Answers `status` for the first `times` requests, then serves `body`; logs when each request came. */
export function failingThen(times: number, status: number, body: Buffer, headers: Record<string, string> = {}) {
  const seenAt: number[] = [];
  const behaviour: Behaviour = (_req, res, hit) => {
    seenAt.push(Date.now());
    if (hit <= times) res.writeHead(status, { "content-type": "text/plain", ...headers }).end("not yet");
    else sendAudio(res, body);
  };
  return { behaviour, seenAt };
}

/** Milliseconds between consecutive requests. */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - (times[i] as number));
}

export { taskIdFor };
