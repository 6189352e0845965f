import { type CallEventBatch, type JobData, type JobResult, jobIdFor, jobRegistry } from "@anura/queue";
import { type Job, UnrecoverableError } from "bullmq";
import type { WorkerDeps } from "../deps.ts";

const batches = jobRegistry["call.event"].batch;
const eventSchema = jobRegistry["call.event"].schema;
/** Calls of one batch merged at once when merged one by one: with 8 batches at a time (CALL_EVENT_CONCURRENCY), up to 64 merges in flight. */
const CALLS_AT_ONCE = 8;

type MergeOne = (entry: unknown, job: Job) => Promise<unknown>;
type MergeMany = (events: JobData<"call.event">[], job: Job) => Promise<JobData<"call.event">[]>;

/**
 * call.event holding a batch. Its well-formed events are merged with one statement (`mergeMany`); those
 * it leaves, or all of them when that statement fails, are merged each as a job of its own would be
 * (`mergeOne`), one call's events in order. An event that fails there, or is malformed, is queued again
 * alone, under its own id and retries, so it cannot fail its neighbours. The batch throws only when that
 * queueing fails (its merged events are then no-ops the second time: anura_events is keyed by id), or
 * when it is not a batch at all.
 */
export function callEventBatchJob(deps: WorkerDeps, mergeOne: MergeOne, mergeMany: MergeMany) {
  return async (data: CallEventBatch, job: Job): Promise<JobResult<"call.event">> => {
    const parsed = batches.schema.safeParse(data);
    if (!parsed.success) throw new UnrecoverableError(`malformed call.event batch: ${parsed.error.issues[0]?.message}`);
    const failed: unknown[] = [];
    const wellFormed: JobData<"call.event">[] = [];
    for (const entry of parsed.data.batch) {
      const event = eventSchema.safeParse(entry);
      if (event.success) {
        wellFormed.push(event.data);
        continue;
      }
      failed.push(entry); // queued alone, where the schema check fails it for good, naming the field
      deps.log.warn(
        { jobId: job.id, eventId: batches.eventIdOf(entry), err: event.error },
        "event of a batch failed: queued alone",
      );
    }
    const left = await mergeMany(wellFormed, job).catch((error: unknown) => {
      deps.log.warn({ jobId: job.id, err: error }, "batch could not be merged at once: merging its events one by one");
      return wellFormed;
    });
    const calls = [...Map.groupBy(left, ({ event }) => event.cdrid).values()]; // one call's events in their order
    let next = 0;
    const mergeCalls = async () => {
      for (let call = calls[next++]; call; call = calls[next++]) {
        for (const entry of call) {
          try {
            await mergeOne(entry, job);
          } catch (error) {
            failed.push(entry);
            deps.log.warn(
              { jobId: job.id, eventId: batches.eventIdOf(entry), err: error },
              "event of a batch failed: queued alone",
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CALLS_AT_ONCE, calls.length) }, mergeCalls));
    await Promise.all(failed.map((entry) => queueAlone(deps, job, entry)));
    return { merged: parsed.data.batch.length - failed.length, requeued: failed.length };
  };
}

/** Back into the batch's queue as a call.event job of its own: routed as the webhook routes it, when it parses. */
async function queueAlone(deps: WorkerDeps, batch: Job, entry: unknown) {
  const event = eventSchema.safeParse(entry);
  if (event.success) return deps.queues.enqueueParsed("call.event", event.data);
  // Malformed: it fails for good on its own, where Bull Board shows it (and its id, when it has one).
  const queue = deps.queues.placed.find((placed) => placed.queueName === batch.queueName)?.queue;
  if (!queue) throw new Error(`no queue ${batch.queueName} to put a malformed event of a batch back into`);
  const eventId = batches.eventIdOf(entry);
  await queue.add("call.event", entry, { jobId: eventId ? jobIdFor("call.event", { eventId }) : undefined });
}
