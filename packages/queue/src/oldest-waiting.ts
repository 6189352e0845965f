import type { Job, Queue } from "bullmq";

// Recorded ENDs wait ahead of older jobs (call-event-lane.ts): look past a few of them.
const LOOK_AHEAD = 10;

/** The oldest waiting job among the next LOOK_AHEAD in line: the oldest of all unless more lifo jobs wait. */
export async function oldestWaitingJob(queue: Queue): Promise<Job | undefined> {
  const next = await queue.getJobs(["wait"], 0, LOOK_AHEAD - 1, true);
  return next.filter(Boolean).sort((a, b) => a.timestamp - b.timestamp)[0];
}
