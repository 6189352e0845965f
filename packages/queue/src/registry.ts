import { callEventSchema, taskIdFor } from "@anura/call-events";
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

/** The backoff type recording.fetch uses; the worker computes it from RECORDING_RETRY_DELAYS. */
export const RECORDING_BACKOFF = "recording";

interface JobDefinition<Schema extends z.ZodType, Key> {
  /** What the job does, as Bull Board shows it. */
  description: string;
  schema: Schema;
  /** Defaults for every job of this name; retention is set on the workers instead (fewer bytes per job). */
  options: DefaultJobOptions;
  /** Ids are derived from what a job is about, so the same work is never queued twice. */
  jobId: (key: Key) => string;
}

// Key is what the id is made of: a subset of the payload, so a reader can find a job knowing only that.
const defineJob = <Schema extends z.ZodType, Key extends Partial<z.output<Schema>>>(job: JobDefinition<Schema, Key>) => job;

const callSchema = z.object({ cdrid: z.string().min(1).max(36) });
const perCall =
  (prefix: string) =>
  ({ cdrid }: { cdrid: string }) =>
    `${prefix}-${taskIdFor(cdrid)}`;
const standardRetry: DefaultJobOptions = { attempts: 12, backoff: { type: "exponential", delay: 1000, jitter: 0.3 } };

/** Every job the system runs, one entry each: its queue name is the key. */
export const jobRegistry = {
  "call.event": defineJob({
    description: "Records each webhook event and re-derives its call",
    schema: z.object({ eventId: z.uuid(), receivedAt: z.iso.datetime(), event: callEventSchema }),
    options: standardRetry,
    jobId: ({ eventId }: { eventId: string }) => `evt-${eventId}`,
  }),
  "recording.fetch": defineJob({
    description:
      "Copies each call's recording from Anura into the bucket and creates its task; failed downloads are retried from here",
    schema: callSchema,
    // The worker gives up by elapsed time (RECORDING_RETRY_HORIZON), not by count.
    options: { attempts: 10_000, backoff: { type: RECORDING_BACKOFF } },
    jobId: perCall("fetch"),
  }),
  "task.create": defineJob({
    description: "Creates AuditorIA's pending transcription task for a call mapped after its recording was stored",
    schema: callSchema,
    options: standardRetry,
    jobId: perCall("task"),
  }),
  "cdr.reconcile": defineJob({
    description:
      "Checks Anura's CDR list window by window and turns calls whose webhooks never came into call.event jobs; one at a time across workers",
    // One job per poll interval (slot = time / ANURA_CDR_POLL_SECONDS): every worker queues the same id.
    schema: z.object({ slot: z.number().int().nonnegative() }),
    options: { attempts: 5, backoff: { type: "exponential", delay: 5000, jitter: 0.3 } },
    jobId: ({ slot }: { slot: number }) => `cdrs-${slot}`,
  }),
};

export type JobName = keyof typeof jobRegistry;
export type JobData<N extends JobName> = z.output<(typeof jobRegistry)[N]["schema"]>;
/** What a job's id is made of (e.g. `{ cdrid }` for recording.fetch). */
export type JobKey<N extends JobName> = Parameters<(typeof jobRegistry)[N]["jobId"]>[0];
export const JOB_NAMES = Object.keys(jobRegistry) as JobName[];

/** The id of the job about `key`, as the registry derives it. */
export function jobIdFor<N extends JobName>(name: N, key: JobKey<N>): string {
  return (jobRegistry[name].jobId as (key: JobKey<N>) => string)(key);
}
