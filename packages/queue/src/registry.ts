import { callEventSchema, taskIdFor } from "@anura/call-domain";
import type { ConcurrencySettings } from "@anura/config";
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";
import { callEventBatches } from "./call-event-batch.ts";
import { callEventLane } from "./call-event-lane.ts";
import { callEventResult, cdrReconcileResult, recordingFetchResult, taskCreateResult } from "./job-results.ts";
import { recordingRetry } from "./recording-retry.ts";
import { dropCompleted, keepFinished, type Retention } from "./retention.ts";

interface JobDefinition<Schema extends z.ZodType, Key, Result extends z.ZodType> {
  /** What the job does, as Bull Board shows it. */
  description: string;
  schema: Schema;
  /** What its handler returns (BullMQ keeps it with the completed job). */
  result: Result;
  /** Defaults for every job of this name, retries included. */
  options: DefaultJobOptions;
  /** Ids are derived from what a job is about, so the same work is never queued twice. */
  jobId: (key: Key) => string;
  /** Jobs one worker runs at once (`default`, unless the worker variable `setting` says otherwise), and across all workers. */
  concurrency: { default: number; setting?: keyof ConcurrencySettings; acrossWorkers?: number };
  /** How long finished jobs stay; set on the workers rather than on each job (fewer bytes per job). */
  retention: Retention;
}

// Key is what the id is made of: a subset of the payload, so a reader can find a job knowing only that.
// Extra: what only some jobs have (call.event's reruns, recording.fetch's retry rule, the partitioned jobs' key), kept in the entry's type.
const defineJob = <Schema extends z.ZodType, Key extends Partial<z.output<Schema>>, Result extends z.ZodType, Extra>(
  job: JobDefinition<Schema, Key, Result> & Extra,
) => job;

const callSchema = z.object({ cdrid: z.string().min(1).max(36) });
const perCall =
  (prefix: string) =>
  ({ cdrid }: { cdrid: string }) =>
    `${prefix}-${taskIdFor(cdrid)}`;
const standardRetry: DefaultJobOptions = { attempts: 12, backoff: { type: "exponential", delay: 1000, jitter: 0.3 } };

/** Why a stored event is queued again: the CLI's replay, or a remap once its campaign or operator exists. */
const RERUN_PURPOSES = ["replay", "remap"] as const;
export type RerunPurpose = (typeof RERUN_PURPOSES)[number];
const callEventReruns = {
  purposes: RERUN_PURPOSES,
  // Fresh each time, so BullMQ does not drop it as a duplicate of the original job (the worker is idempotent).
  id: ({ eventId }: { eventId: string }, purpose: RerunPurpose) => `${purpose}-${eventId}-${Date.now()}`,
  /** A Redis SCAN pattern matching every `purpose` rerun id of this event, and no other event's. */
  idPattern: ({ eventId }: { eventId: string }, purpose: RerunPurpose) => `${purpose}-${eventId}-*`,
};

/** Every job the system runs, one entry each, its whole contract: its queue name is the key. */
export const jobRegistry = {
  "call.event": defineJob({
    description: "Merges each webhook event into its call",
    schema: z.object({ eventId: z.uuid(), receivedAt: z.iso.datetime(), event: callEventSchema }),
    result: callEventResult,
    options: standardRetry,
    jobId: ({ eventId }: { eventId: string }) => `evt-${eventId}`,
    // QUEUE_PARTITIONS splits it by call: every event of a call goes to the same partition.
    partitionKey: ({ event }: { event: { cdrid: string } }) => event.cdrid,
    rerun: callEventReruns,
    // A recorded END or a RECORDING joins the head of its partition's wait list: a backlog delays bookkeeping, not tasks.
    lane: callEventLane,
    // The webhook's batcher sends one turn's events of one partition and lane as one job.
    batch: callEventBatches,
    concurrency: { default: 8, setting: "CALL_EVENT_CONCURRENCY" },
    // Nothing reads a completed one, and one queued again (the inbox relay retrying) is a no-op: anura_events is keyed by its id.
    retention: dropCompleted,
  }),
  "recording.fetch": defineJob({
    description:
      "Copies each call's recording from Anura into the bucket and creates its task; failed downloads are retried from here",
    schema: callSchema,
    result: recordingFetchResult,
    // Given up by elapsed time (recordingRetry.isLastAttempt against RECORDING_RETRY_HORIZON), not by count.
    options: { attempts: 10_000, backoff: { type: recordingRetry.backoff } },
    retry: recordingRetry,
    jobId: perCall("fetch"),
    // Split by call as call.event is: a download is found (and de-duplicated) in its call's partition.
    partitionKey: ({ cdrid }: { cdrid: string }) => cdrid,
    concurrency: { default: 4, setting: "RECORDING_FETCH_CONCURRENCY" },
    retention: keepFinished,
  }),
  "task.create": defineJob({
    description: "Creates AuditorIA's pending transcription task for a call mapped after its recording was stored",
    schema: callSchema,
    result: taskCreateResult,
    options: standardRetry,
    jobId: perCall("task"),
    concurrency: { default: 8, setting: "TASK_CREATE_CONCURRENCY" },
    retention: keepFinished,
  }),
  "cdr.reconcile": defineJob({
    description:
      "Checks Anura's CDR list window by window and turns calls whose webhooks never came into call.event jobs; one at a time across workers",
    // One job per poll interval (slot = time / ANURA_CDR_POLL_SECONDS): every worker queues the same id.
    schema: z.object({ slot: z.number().int().nonnegative() }),
    result: cdrReconcileResult,
    options: { attempts: 5, backoff: { type: "exponential", delay: 5000, jitter: 0.3 } },
    jobId: ({ slot }: { slot: number }) => `cdrs-${slot}`,
    // One window at a time, also when a catch-up outlasts the poll interval (the reconciler sets it on the queue).
    concurrency: { default: 1, acrossWorkers: 1 },
    retention: keepFinished,
  }),
};

export type JobName = keyof typeof jobRegistry;
export type JobData<N extends JobName> = z.output<(typeof jobRegistry)[N]["schema"]>;
export type JobResult<N extends JobName = JobName> = z.output<(typeof jobRegistry)[N]["result"]>;
/** What a job's id is made of (e.g. `{ cdrid }` for recording.fetch). */
export type JobKey<N extends JobName> = Parameters<(typeof jobRegistry)[N]["jobId"]>[0];
export const JOB_NAMES = Object.keys(jobRegistry) as JobName[];

/** The id of the job about `key`, as the registry derives it. */
export function jobIdFor<N extends JobName>(name: N, key: JobKey<N>): string {
  return (jobRegistry[name].jobId as (key: JobKey<N>) => string)(key);
}

/** The call whose partition a job goes to (QUEUE_PARTITIONS), or null for a job that has one queue. */
export function partitionKeyOf<N extends JobName>(name: N, data: JobData<N>): string | null {
  const entry = jobRegistry[name];
  return "partitionKey" in entry ? (entry.partitionKey as (data: JobData<N>) => string)(data) : null;
}

/** How many of `name`'s jobs one worker runs at once: its variable when set, else the entry's default. */
export function concurrencyOf(name: JobName, settings: ConcurrencySettings): number {
  const { setting, default: fallback } = jobRegistry[name].concurrency;
  return (setting && settings[setting]) ?? fallback;
}
