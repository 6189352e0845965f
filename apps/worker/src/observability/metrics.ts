import { countUnmappedCalls, type Db } from "@anura/db";
import { type JobName, type JobResult, type Queues, registerQueueGauges } from "@anura/queue";
import { type Job, UnrecoverableError } from "bullmq";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { fetchErrorKind } from "../recording/error-kind.ts";

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The worker's series, and the queues' depth, in the app's registry. */
export function createWorkerMetrics(registry: Registry, queues: Queues, db: Db) {
  registerQueueGauges(registry, queues);
  const jobs = new Counter({
    name: "anura_jobs_total",
    help: "Job attempts by queue, outcome (completed, retried, failed) and error type",
    labelNames: ["queue", "outcome", "reason"],
    registers: [registry],
  });
  const downloadBytes = new Histogram({
    name: "anura_recording_bytes",
    help: "Size of stored recordings",
    buckets: [64e3, 256e3, 1e6, 4e6, 16e6, 64e6, 256e6, 1e9],
    registers: [registry],
  });
  const downloadSeconds = new Histogram({
    name: "anura_recording_fetch_seconds",
    help: "Time to download and store one recording",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });
  const recordingsStored = new Counter({
    name: "anura_recordings_stored_total",
    help: "Recordings stored in the bucket",
    registers: [registry],
  });
  const tasksCreated = new Counter({
    name: "anura_tasks_created_total",
    help: "Pending transcription tasks created",
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: "anura_recording_fetch_errors_total",
    help: "Failed recording.fetch attempts by kind: not_ready (404, empty) is normal for a while, the rest are failures",
    labelNames: ["kind"],
    registers: [registry],
  });
  const sweeperActions = new Counter({
    name: "anura_sweeper_actions_total",
    help: "Calls the sweeper re-drove, marked stale or scrubbed of personal data",
    labelNames: ["action"],
    registers: [registry],
  });
  let unmapped = 0;
  new Gauge({
    name: "anura_unmapped_calls",
    help: "Calls waiting for a campaign or operator mapping (see `pnpm cli calls remap`)",
    registers: [registry],
    async collect() {
      // Postgres down: keep the last count (anura_worker_ready says why) rather than fail the scrape.
      unmapped = await countUnmappedCalls(db).catch(() => unmapped);
      this.set(unmapped);
    },
  });

  /** Attempts that will be retried are counted apart from final failures. */
  function jobFailed(queue: JobName, job: Job | undefined, error: Error) {
    // BullMQ never retries an UnrecoverableError (RecordingRejected is one) nor a job out of attempts.
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobs.inc({ queue, outcome: final ? "failed" : "retried", reason: error.name });
    if (queue === "recording.fetch") fetchErrors.inc({ kind: fetchErrorKind(error) });
  }

  function jobCompleted(queue: JobName, job: Job, result: JobResult) {
    jobs.inc({ queue, outcome: "completed", reason: "" });
    // Only an attempt that stored the recording has `bytes`; alreadyStored ones are not counted again.
    if (queue === "recording.fetch" && "bytes" in result) {
      recordingsStored.inc();
      downloadBytes.observe(result.bytes);
      if (job.processedOn && job.finishedOn) downloadSeconds.observe((job.finishedOn - job.processedOn) / 1000);
      if (result.taskCreated) tasksCreated.inc();
    }
    if (queue === "task.create" && "created" in result && result.created) tasksCreated.inc();
  }

  function sweepDone(counts: { redriven: number; markedStale: number; scrubbed: number }) {
    sweeperActions.inc({ action: "redriven" }, counts.redriven);
    sweeperActions.inc({ action: "marked_stale" }, counts.markedStale);
    sweeperActions.inc({ action: "personal_data_scrubbed" }, counts.scrubbed);
  }

  return { registry, jobFailed, jobCompleted, sweepDone };
}
