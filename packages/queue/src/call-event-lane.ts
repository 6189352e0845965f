import type { JobsOptions } from "bullmq";
import type { JobData } from "./registry.ts";

// What a call's download and task wait for; START and TALK only fill in the call log.
const MOVES_CALL_FORWARD = new Set(["END", "RECORDING"]);

/**
 * END and RECORDING join the head of their partition's wait list (BullMQ's lifo), so behind a backlog
 * the worker takes them before every waiting START and TALK: a burst delays bookkeeping, not tasks.
 * Not a priority: they stay in the wait state, and cost no more Redis commands than any job. The merge is
 * order-independent (e2e/ordering), so taking an event early changes no end state.
 */
export function callEventLane({ event }: JobData<"call.event">): JobsOptions {
  return MOVES_CALL_FORWARD.has(event.trigger) ? { lifo: true } : {};
}
