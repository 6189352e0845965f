import type { WorkerOptions } from "bullmq";

const DAY = 24 * 3600;

export type Retention = Pick<WorkerOptions, "removeOnComplete" | "removeOnFail">;

/**
 * Completed jobs stay 7 days, so a per-call job (a call's download) added again meanwhile is dropped
 * by its id; failed ones 14 days for ops. Anura's redeliveries get new job ids: Postgres de-duplicates them.
 * Set on the workers, not on each job: ~80 fewer bytes a waiting job.
 */
export const keepFinished = {
  removeOnComplete: { age: 7 * DAY, count: 200_000 },
  removeOnFail: { age: 14 * DAY },
} satisfies Retention;

/**
 * Completed jobs removed at once (4 fewer Redis commands a job, less memory), for a job whose result
 * nothing reads and whose id never dedupes anything later; failed ones stay 14 days like the rest.
 */
// { count: 0 }, not `true`: BullMQ 6.7's worker passes `true` to its Lua script, which fails and leaves the job active.
export const dropCompleted = { ...keepFinished, removeOnComplete: { count: 0 } } satisfies Retention;
