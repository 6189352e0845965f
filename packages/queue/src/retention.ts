import type { WorkerOptions } from "bullmq";
import type { JobName } from "./registry.ts";

const DAY = 24 * 3600;

/**
 * Retention: completed jobs stay 7 days, so a per-call job (a call's download) added again meanwhile is
 * dropped by its id (call.event's go at once: retentionFor); failed ones 14 days for ops. Anura's redeliveries
 * get new job ids: Postgres de-duplicates them. Set on the workers, not on each job: ~80 fewer bytes a waiting job.
 */
export const jobRetention = {
  removeOnComplete: { age: 7 * DAY, count: 200_000 },
  removeOnFail: { age: 14 * DAY },
} satisfies Pick<WorkerOptions, "removeOnComplete" | "removeOnFail">;

/**
 * call.event's completed jobs are removed at once (4 fewer Redis commands a job, less memory): nothing
 * reads them, and an event queued again (the inbox relay retrying) is a no-op, anura_events being keyed by its id.
 */
export const retentionFor = (name: JobName): Pick<WorkerOptions, "removeOnComplete" | "removeOnFail"> =>
  // { count: 0 }, not `true`: BullMQ 6.7's worker passes `true` to its Lua script, which fails and leaves the job active.
  name === "call.event" ? { ...jobRetention, removeOnComplete: { count: 0 } } : jobRetention;
