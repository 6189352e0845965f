import type { CallEvent } from "@anura/call-domain";
import type { BulkJobOptions } from "bullmq";
import { z } from "zod";

/** One event as a call.event job carries it: the registry's call.event schema. */
interface EventEntry {
  eventId: string;
  event: CallEvent;
}

/** A call.event job as Queue.addBulk takes it, for one event. */
interface EventJob<Entry extends EventEntry = EventEntry> {
  name: "call.event";
  data: Entry;
  opts: BulkJobOptions;
}

/** The most events one job holds: about 125 KB of JSON for Anura's usual 1.2 KB events. */
const MAX_EVENTS = 100;

/** A field of a value not yet checked against any schema: undefined when the value has no such field. */
function fieldOf(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
}

/**
 * Several webhooks of one event-loop turn travel as one call.event job (`{ batch: [entry, …] }`): about
 * 40 Redis commands per job, paid once for the batch. The worker merges its events with one statement
 * (one by one when that fails), and an event that fails is queued again as a job of its own (its usual
 * id and retries), so a batch fails as a whole only when that re-queueing keeps failing (Redis gone for
 * all its attempts).
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
    const eventId = z.uuid().safeParse(fieldOf(entry, "eventId"));
    return eventId.success ? eventId.data : undefined;
  },
  /** What may be read of an entry before the worker's check of it: its event id and its event, as they are. */
  entry: z.looseObject({ eventId: z.string(), event: z.unknown() }),
};

export type CallEventBatch = { batch: unknown[] };

/** Whether a call.event job's data is a batch rather than one event. */
export function isCallEventBatch(data: unknown): data is CallEventBatch {
  return Array.isArray(fieldOf(data, "batch"));
}

/**
 * The jobs that carry these events of one queue and lane: the event's own job for one, one batch job
 * (the first event's options, under the batch's id) for two or more.
 */
export function jobsForEvents<Entry extends EventEntry>(events: Array<EventJob<Entry>>) {
  const [first] = events;
  if (!first || events.length === 1) return events;
  if (events.length > MAX_EVENTS) throw new Error(`a batch holds at most ${MAX_EVENTS} events`);
  const batch = { batch: events.map((job) => job.data) };
  return [{ name: "call.event" as const, data: batch, opts: { ...first.opts, jobId: callEventBatches.id(first.data) } }];
}
