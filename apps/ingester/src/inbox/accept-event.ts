import { addToInbox } from "@anura/db";
import type { JobData } from "@anura/queue";
import type { IngesterDeps } from "../deps.ts";

export type AcceptedVia = "queue" | "inbox";

/**
 * Make an event durable before it is acknowledged: into the queue, or — when Redis cannot take
 * it — into the Postgres inbox the relay drains later. Throws only when neither can.
 */
export async function acceptEvent(deps: IngesterDeps, job: JobData<"call.event">): Promise<AcceptedVia> {
  try {
    await deps.enqueue.enqueue("call.event", job); // the event came out of normaliseEvent: no second parse
    return "queue";
  } catch (queueError) {
    deps.log.warn({ err: queueError, callId: job.event.cdrid }, "queue unavailable: writing the event to the inbox");
    await addToInbox(deps.db, { id: job.eventId, job, receivedAt: new Date(job.receivedAt) });
    return "inbox";
  }
}
