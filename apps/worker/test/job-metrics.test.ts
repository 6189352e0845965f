import { createDb } from "@anura/db";
import { createQueues, createRedisConnection, type JobName, waitUntilReady } from "@anura/queue";
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Job, UnrecoverableError } from "bullmq";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerMetrics, type WorkerMetrics } from "../src/observability/metrics.ts";
import { RecordingGaveUp, RecordingRejected } from "../src/recording/errors.ts";

const redis = createRedisConnection({ url: TEST_REDIS_URL }, "producer");
const queues = createQueues(redis, uniquePrefix("job-metrics"));
const database = createDb(ADMIN_DATABASE_URL, { max: 1 }); // only a scrape of anura_unmapped_calls would query it

beforeAll(async () => {
  await waitUntilReady(redis);
});
afterAll(async () => {
  await queues.close();
  await redis.quit();
  await database.close();
});

/** A job of `queue` after `attemptsMade` of its `attempts` attempts, as BullMQ hands it to the event listeners. */
function jobAfter(
  queue: JobName,
  attemptsMade: number,
  attempts: number,
  times: { processedOn?: number; finishedOn?: number } = {},
) {
  const job = new Job(queues.queues[queue], queue, { cdrid: "metrics-1" }, { attempts });
  job.attemptsMade = attemptsMade;
  job.processedOn = times.processedOn;
  job.finishedOn = times.finishedOn;
  return job;
}

/** The sum of a metric's values whose labels include `labels`. */
async function sumOf(metrics: WorkerMetrics, metric: string, labels: Record<string, string> = {}): Promise<number> {
  const read = await metrics.registry.getSingleMetric(metric)?.get();
  const matching = read?.values.filter((entry) => Object.entries(labels).every(([key, value]) => entry.labels[key] === value));
  return (matching ?? []).reduce((sum, entry) => sum + entry.value, 0);
}

describe("worker job metrics", () => {
  it("counts an attempt BullMQ will retry apart from a final failure", async () => {
    const metrics = createWorkerMetrics(new Registry(), queues, database.db);
    metrics.jobFailed("task.create", jobAfter("task.create", 1, 3), new Error("database busy"));
    metrics.jobFailed("task.create", jobAfter("task.create", 3, 3), new Error("database busy"));
    metrics.jobFailed("task.create", undefined, new Error("no job"));
    expect(await sumOf(metrics, "anura_jobs_total", { queue: "task.create", outcome: "retried", reason: "Error" })).toBe(1);
    expect(await sumOf(metrics, "anura_jobs_total", { queue: "task.create", outcome: "failed", reason: "Error" })).toBe(2);
  });

  it("counts an UnrecoverableError, RecordingRejected and RecordingGaveUp included, as final with attempts left", async () => {
    const metrics = createWorkerMetrics(new Registry(), queues, database.db);
    const fetch = () => jobAfter("recording.fetch", 1, 10);
    metrics.jobFailed("recording.fetch", fetch(), new RecordingRejected("recording host answered 403"));
    metrics.jobFailed("recording.fetch", fetch(), new RecordingGaveUp("gave up after 24 h"));
    metrics.jobFailed("recording.fetch", fetch(), new UnrecoverableError("call has no recording URL"));
    expect(await sumOf(metrics, "anura_jobs_total", { outcome: "failed", reason: "RecordingRejected" })).toBe(1);
    expect(await sumOf(metrics, "anura_jobs_total", { outcome: "failed", reason: "RecordingGaveUp" })).toBe(1);
    expect(await sumOf(metrics, "anura_jobs_total", { outcome: "failed", reason: "UnrecoverableError" })).toBe(1);
    expect(await sumOf(metrics, "anura_jobs_total", { outcome: "retried" })).toBe(0);
    expect(await sumOf(metrics, "anura_recording_fetch_errors_total", { kind: "rejected" })).toBe(1);
    expect(await sumOf(metrics, "anura_recording_fetch_errors_total", { kind: "gave_up" })).toBe(1);
    expect(await sumOf(metrics, "anura_recording_fetch_errors_total", { kind: "other" })).toBe(1);
  });

  it("counts a stored recording and a created task from the jobs' results, not a repeat of either", async () => {
    const metrics = createWorkerMetrics(new Registry(), queues, database.db);
    const stored = { key: "recordings/metrics-1.mp3", bytes: 2048, sha256: "0".repeat(64), duration: 1.5 };
    const timed = { processedOn: 1_000, finishedOn: 1_250 };
    // The download that stored a mapped call's recording created its task too; an unmapped one did not.
    metrics.jobCompleted("recording.fetch", jobAfter("recording.fetch", 1, 10, timed), { ...stored, taskCreated: true });
    metrics.jobCompleted("recording.fetch", jobAfter("recording.fetch", 1, 10), { ...stored, taskCreated: null });
    metrics.jobCompleted("recording.fetch", jobAfter("recording.fetch", 1, 10), { alreadyStored: true });
    metrics.jobCompleted("task.create", jobAfter("task.create", 1, 3), { taskId: "t", created: true });
    metrics.jobCompleted("task.create", jobAfter("task.create", 1, 3), { taskId: "t", created: false });
    metrics.jobCompleted("task.create", jobAfter("task.create", 1, 3), { taskId: "t", created: null });
    expect(await sumOf(metrics, "anura_jobs_total", { outcome: "completed" })).toBe(6);
    expect(await sumOf(metrics, "anura_recordings_stored_total")).toBe(2);
    expect(await sumOf(metrics, "anura_recording_bytes", { le: "+Inf" })).toBe(2);
    expect(await sumOf(metrics, "anura_recording_fetch_seconds", { le: "+Inf" })).toBe(1);
    expect(await sumOf(metrics, "anura_tasks_created_total")).toBe(2);
  });
});
