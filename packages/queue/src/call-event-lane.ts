import type { CallEvent } from "@anura/call-domain";
import type { JobsOptions } from "bullmq";

/** An event that on its own lets the call's download start: what its task waits for. */
function startsDownload(event: CallEvent): boolean {
  if (!event.recordingUrl) return false;
  return event.trigger === "RECORDING" || (event.trigger === "END" && event.wasrecorded === true);
}

/**
 * A recorded END, or a RECORDING, joins the head of its partition's wait list (BullMQ's lifo), so behind
 * a backlog the worker takes it before every waiting START, TALK and unrecorded END: a burst delays
 * bookkeeping, not tasks. Only these few, since the lifo lane is a stack: the more it holds, the longer its
 * oldest waits. Not a priority: the jobs stay in the wait state and cost no more Redis commands than any job.
 * The merge is order-independent (e2e/ordering), so taking an event early changes no end state.
 */
export function callEventLane({ event }: { event: CallEvent }): JobsOptions {
  return startsDownload(event) ? { lifo: true } : {};
}
