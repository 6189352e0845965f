import type { StoredEvent } from "@anura/db";
import { parseJobData } from "./job-data.ts";
import type { Queues } from "./queues.ts";
import { jobRegistry, type RerunPurpose } from "./registry.ts";

/**
 * Queue a stored event again as `call.event`, under the registry's rerun id for it; the worker is idempotent
 * (event insert ON CONFLICT DO NOTHING, and merging an event already in the call's facts changes none of them).
 */
export async function requeueEvent(queues: Queues, event: StoredEvent, purpose: RerunPurpose): Promise<void> {
  // A stored payload is checked like any job's: one that no longer fits the schema is refused, not queued.
  const job = parseJobData("call.event", { eventId: event.id, receivedAt: event.receivedAt.toISOString(), event: event.payload });
  await queues.enqueue("call.event", job, { jobId: jobRegistry["call.event"].rerun.id({ eventId: event.id }, purpose) });
}
