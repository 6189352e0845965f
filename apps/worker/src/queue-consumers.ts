import type { ConcurrencySettings } from "@anura/config";
import type { RedisClient } from "@anura/queue";
import {
  concurrencyOf,
  isCallEventBatch,
  type JobHandler,
  type JobName,
  jobRegistry,
  parseJobData,
  type QueuePlacement,
} from "@anura/queue";
import { type Job, Worker } from "bullmq";
import type { WorkerDeps } from "./deps.ts";
import { callEventJobs } from "./jobs/call-event.ts";
import { callEventBatchJob } from "./jobs/call-event-batch.ts";
import { cdrReconcileJob } from "./jobs/cdr-reconcile.ts";
import { recordingFetchJob } from "./jobs/recording-fetch.ts";
import { taskCreateJob } from "./jobs/task-create.ts";
import type { RecordingNotReady } from "./recording/errors.ts";

/** Every job but call.event, whose lone events and batches share one handler (callEventProcessor). */
type OtherJobName = Exclude<JobName, "call.event">;

const handlers: { [N in OtherJobName]: (deps: WorkerDeps) => JobHandler<N> } = {
  "recording.fetch": recordingFetchJob,
  "task.create": taskCreateJob,
  "cdr.reconcile": cdrReconcileJob,
};

// Payloads are validated here, once: a malformed one fails for good (UnrecoverableError) before its handler runs.
function processorFor<N extends OtherJobName>(name: N, deps: WorkerDeps) {
  const handle: JobHandler<N> = handlers[name](deps);
  return (job: Job) => handle(parseJobData(name, job.data), job);
}

/** call.event: a lone event's job, or a batch, which checks and merges each of its events (one memory of recent calls for both). */
function callEventProcessor(deps: WorkerDeps) {
  const events = callEventJobs(deps);
  const one = (data: unknown, job: Job) => events.one(parseJobData("call.event", data), job);
  const batch = callEventBatchJob(deps, one, events.many);
  return (job: Job) => (isCallEventBatch(job.data) ? batch(job.data, job) : one(job.data, job));
}

export interface WorkerSelection {
  /** Each selected queue; a partition of call.event is a queue of its own, with the job's concurrency. */
  queues: QueuePlacement[];
  /** The *_CONCURRENCY variables as set; each job's registry entry has its default. */
  concurrency: ConcurrencySettings;
  connection: RedisClient;
  lockMs: number;
}

const recording = jobRegistry["recording.fetch"].retry;

/** One BullMQ worker per selected queue, each with its own concurrency, so ops scale queues apart; run() starts each. */
export function createQueueConsumers(deps: WorkerDeps, selection: WorkerSelection): Worker[] {
  return selection.queues.map(({ job: name, queueName, prefix }) => {
    const worker = new Worker(queueName, name === "call.event" ? callEventProcessor(deps) : processorFor(name, deps), {
      connection: selection.connection,
      prefix,
      concurrency: concurrencyOf(name, selection.concurrency),
      autorun: false, // run() once the stores the jobs write to answer
      // JOB_LOCK_SECONDS: a dead worker's jobs are free once their lock lapses; every step is idempotent,
      // so a short lock costs at worst a step done twice.
      lockDuration: selection.lockMs,
      // Renewed four times per lock: a worker whose event loop stalls for up to ¾ of it keeps its jobs.
      lockRenewTime: selection.lockMs / 4,
      // Checked twice per lock: an expired job is back in the queue within about 1.5 locks of the crash.
      stalledInterval: selection.lockMs / 2,
      // Only a job that took down (or froze) ten workers fails as stalled: a busy machine never gets there.
      maxStalledCount: 10,
      ...jobRegistry[name].retention,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) =>
          type === recording.backoff
            ? recording.delayMs(attemptsMade, deps.recording.retry, (error as RecordingNotReady)?.retryAfterMs)
            : 1000,
      },
    });
    worker.on("failed", (job, error) => {
      deps.metrics.jobFailed(name, job, error);
      deps.log.warn({ queue: queueName, jobId: job?.id, attempts: job?.attemptsMade, err: error }, "job attempt failed");
    });
    worker.on("completed", (job, result) => deps.metrics.jobCompleted(name, job, result));
    worker.on("error", (error) => {
      // A connection error repeats on every reconnect attempt; the dependency watch reports the outage once.
      const connection =
        /^E[A-Z]+$/.test(String((error as { code?: unknown }).code)) || /Connection is closed/.test(error.message);
      deps.log[connection ? "debug" : "error"]({ queue: queueName, err: error }, "worker error");
    });
    return worker;
  });
}

/** WORKER_QUEUES: a job's name takes all its queues (every partition), `call.event.<n>` (or `recording.fetch.<n>`) one partition. */
export function selectQueues(requested: string[] | undefined, placements: QueuePlacement[]): QueuePlacement[] {
  if (!requested || requested.length === 0) return placements;
  const known = [...new Set(placements.flatMap((p) => [p.job, p.queueName]))];
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`WORKER_QUEUES names unknown queue(s) ${unknown.join(", ")}: use ${known.join(", ")}`);
  }
  return placements.filter((p) => requested.includes(p.job) || requested.includes(p.queueName));
}
