import type { StoredEvent } from "@anura/db";
import { parseJobData } from "./job-data.ts";
import type { Queues } from "./queues.ts";

/**
 * Queue a stored event again as `call.event`. The id is fresh so BullMQ does not drop it as a duplicate
 * of the original job; the worker is idempotent (event insert ON CONFLICT DO NOTHING, and merging an event already
 * in the call's facts changes none of them).
 */
export async function requeueEvent(queues: Queues, event: StoredEvent, purpose: "remap" | "replay"): Promise<void> {
  // A stored payload is checked like any job's: one that no longer fits the schema is refused, not queued.
  const job = parseJobData("call.event", { eventId: event.id, receivedAt: event.receivedAt.toISOString(), event: event.payload });
  await queues.enqueue("call.event", job, { jobId: `${purpose}-${event.id}-${Date.now()}` });
}
