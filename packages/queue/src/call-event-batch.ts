import type { CallEvent } from "@anura/call-domain";
import type { BulkJobOptions } from "bullmq";
import { z } from "zod";

/** One event as a call.event job carries it: the registry's call.event schema. */
interface EventEntry {
  eventId: string;
  event: CallEvent;
}

/** The most events one job holds: about 125 KB of JSON for Anura's usual 1.2 KB events. */
const MAX_EVENTS = 100;

/**
 * Several webhooks of one event-loop turn travel as one call.event job (`{ batch: [entry, …] }`): about
 * 40 Redis commands per job, paid once for the batch. The worker merges its events one by one, and an
 * event that fails there is queued again as a job of its own (its usual id and retries), so a batch
 * fails as a whole only when that re-queueing keeps failing (Redis gone for all its attempts).
 */
export const callEventBatches = {
  max: MAX_EVENTS,
  /** The entries are checked one by one in the worker, so one malformed event cannot fail its neighbours. */
  schema: z.object({ batch: z.array(z.unknown()).min(2).max(MAX_EVENTS) }),
  /** Its first event's id: unique, as that event is in no other batch. */
  id: ({ eventId }: { eventId: string }) => `batch-${eventId}`,
  /** A Redis SCAN pattern (after the queue's key prefix) matching every batch's job id. */
  idPattern: "batch-*",
  /**
   * An entry's event id when it is a real one, for its job id if it is queued alone (BullMQ refuses an
   * id with a colon, which a malformed entry may hold); undefined, and BullMQ numbers the job, if not.
   */
  eventIdOf: (entry: unknown): string | undefined => {
    const eventId = z.uuid().safeParse((entry as { eventId?: unknown })?.eventId);
    return eventId.success ? eventId.data : undefined;
  },
  /** Events of one call are merged in their order in the batch; different calls side by side. */
  groupOf: (entry: unknown) => (entry as Partial<EventEntry>)?.event?.cdrid ?? "",
};

export type CallEventBatch = { batch: unknown[] };

/** Whether a call.event job's data is a batch rather than one event. */
export function isCallEventBatch(data: unknown): data is CallEventBatch {
  return typeof data === "object" && data !== null && Array.isArray((data as CallEventBatch).batch);
}

/** One job for events routed to the same queue and lane: the first one's options, under the batch's id. */
export function batchJob<Entry extends EventEntry>(jobs: Array<{ data: Entry; opts: BulkJobOptions }>) {
  const [first] = jobs;
  if (!first || jobs.length < 2 || jobs.length > MAX_EVENTS) throw new Error(`a batch holds 2–${MAX_EVENTS} events`);
  return {
    name: "call.event" as const,
    data: { batch: jobs.map((job) => job.data) },
    opts: { ...first.opts, jobId: callEventBatches.id(first.data) },
  };
}
