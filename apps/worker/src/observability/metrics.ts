import { countUnmappedCalls, type Db } from "@anura/db";
import { seriesIn } from "@anura/lifecycle";
import { type JobName, type JobResult, type Queues, registerQueueGauges } from "@anura/queue";
import { type Job, UnrecoverableError } from "bullmq";
import { Gauge, type Registry } from "prom-client";
import { fetchErrorKind } from "../recording/error-kind.ts";

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The worker's series, and the queues' depth, in the app's registry. */
export function createWorkerMetrics(registry: Registry, queues: Queues, db: Db) {
  registerQueueGauges(registry, queues);
  const series = seriesIn(registry);
  const jobs = series.counter("anura_jobs_total", "Job attempts by queue, outcome (completed, retried, failed) and error type", [
    "queue",
    "outcome",
    "reason",
  ]);
  const downloadBytes = series.histogram(
    "anura_recording_bytes",
    "Size of stored recordings",
    [64e3, 256e3, 1e6, 4e6, 16e6, 64e6, 256e6, 1e9],
  );
  const downloadSeconds = series.histogram(
    "anura_recording_fetch_seconds",
    "Time to download and store one recording",
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
  );
  const recordingsStored = series.counter("anura_recordings_stored_total", "Recordings stored in the bucket");
  const tasksCreated = series.counter("anura_tasks_created_total", "Pending transcription tasks created");
  const fetchErrors = series.counter(
    "anura_recording_fetch_errors_total",
    "Failed recording.fetch attempts by kind: not_ready (404, empty) is normal for a while, the rest are failures",
    ["kind"],
  );
  const sweeperActions = series.counter(
    "anura_sweeper_actions_total",
    "Calls the sweeper re-drove, marked stale or scrubbed of personal data",
    ["action"],
  );
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
