import type { WorkerOptions } from "bullmq";

const DAY = 24 * 3600;

/**
 * Retention: completed jobs stay 7 days, so a per-call job (a call's download) added again meanwhile is
 * dropped by its id; failed ones 14 days for ops. Anura's redeliveries get new job ids: Postgres de-duplicates them. Set on the workers, not on each job, so a waiting job carries ~80 fewer bytes in Redis.
 */
export const jobRetention = {
  removeOnComplete: { age: 7 * DAY, count: 200_000 },
  removeOnFail: { age: 14 * DAY },
} satisfies Pick<WorkerOptions, "removeOnComplete" | "removeOnFail">;
