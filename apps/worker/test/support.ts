import { createHash, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { normaliseEvent, taskIdFor } from "@anura/call-domain";
import { anuraEnv, parseEnv, workerSettings } from "@anura/config";
import { createLogger } from "@anura/logger";
import { connectQueues, jobIdFor, waitUntilReady } from "@anura/queue";
import { type Behaviour, seedEndEvent, startTestServices, TEST_REDIS_URL, waitFor } from "@anura/testing";
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { startWorker } from "../src/start-worker.ts";

export { type Behaviour, generateMp3, RecordingServer, waitFor } from "@anura/testing";

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * This app on real services, with a campaign, a handle on its recording.fetch queue, and log lines
 * kept in `logs`, so tests can see what was (not) logged. Events are queued as the ingester queues them.
 */
export async function startFetchStack(options: { env?: Record<string, string> } = {}) {
  const services = await startTestServices({ label: "worker" });
  const env = {
    ...services.env,
    WORKER_METRICS_PORT: "0",
    HOST: "127.0.0.1",
    RECORDING_RETRY_DELAYS: "0.2,0.4",
    SHUTDOWN_TIMEOUT: "5",
    ...options.env,
  };
  const stack = { ...services, env };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ name: "worker-test", level: "debug", destination: sink });
  const config = parseEnv(workerSettings, env);
  const worker = await startWorker(config, log);
  await services.createCampaign(1, "Ventas");
  const producer = connectQueues(config.redis, () => {});
  await waitUntilReady(producer.redis);
  const { queues } = producer;
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const fetchQueue = new Queue("recording.fetch", { connection, prefix: services.prefix });
  return {
    stack,
    worker,
    logs,
    fetchQueue,
    /** The call.event job the ingester makes of an Anura webhook body once it has accepted it. */
    eventJob(body: Record<string, unknown>) {
      const result = normaliseEvent(body, parseEnv(anuraEnv, env).ANURA_TIMEZONE);
      if (!result.ok) throw new Error(`the ingester would refuse this event: ${JSON.stringify(result.issues)}`);
      return { eventId: randomUUID(), receivedAt: new Date().toISOString(), event: result.event };
    },
    /** Queue an Anura webhook body as the ingester does once it has accepted it. */
    async postEvent(body: Record<string, unknown>) {
      const job = this.eventJob(body);
      await queues.enqueue("call.event", job);
      return { eventId: job.eventId };
    },
    /** Queue a recorded call's END, as Anura sends it, pointing at `recordingUrl`. */
    postEnd(cdrid: string, recordingUrl: string, overrides: Record<string, unknown> = {}) {
      return this.postEvent(endEvent(cdrid, recordingUrl, overrides));
    },
    fetchJob: (cdrid: string) => fetchQueue.getJob(jobIdFor("recording.fetch", { cdrid })),
    /** Wait until the call's fetch job reaches `state`; returns the job as it is then. */
    async settledFetch(cdrid: string, state: "completed" | "failed", timeoutMs = 20_000): Promise<Job> {
      const id = jobIdFor("recording.fetch", { cdrid });
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
      await producer.close();
      await connection.quit();
      await services.close();
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
