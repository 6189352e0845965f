import { createQueues, jobIdFor } from "@anura/queue";
import { Redis } from "ioredis";
import { median, round } from "./stats.ts";

export interface TracedCall {
  cdrid: string;
  /** Epoch ms the bench sent the webhook, and when the task row's commit was announced. */
  postedAt: number;
  taskAt: number;
}

/**
 * Where a call's time went, from the BullMQ timestamps of its recording.fetch job (all epoch ms on this
 * machine's clock; recording.fetch creates a mapped call's task itself): waiting = added → picked up,
 * running = picked up → finished. call.event removes its completed jobs, so its part is one figure: the
 * webhook until call.event queued the download. Each stage's `summary` (median) over `calls`.
 */
export async function jobStages(
  redisUrl: string,
  prefix: string,
  calls: TracedCall[],
  summary: (values: number[]) => number = median,
): Promise<Record<string, number>> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const { queueFor, close } = createQueues(connection, prefix);
  try {
    const stages: Record<string, number>[] = [];
    for (const call of calls) {
      const fetch = await queueFor("recording.fetch", call.cdrid).getJob(jobIdFor("recording.fetch", { cdrid: call.cdrid }));
      if (!fetch?.processedOn) continue;
      stages.push({
        "webhook → call.event done (recording.fetch queued)": fetch.timestamp - call.postedAt,
        "recording.fetch waiting": fetch.processedOn - fetch.timestamp,
        "recording.fetch running": (fetch.finishedOn ?? Number.NaN) - fetch.processedOn,
        "END → task row": call.taskAt - call.postedAt,
      });
    }
    const names = Object.keys(stages[0] ?? {});
    return Object.fromEntries(names.map((name) => [name, round(summary(stages.map((s) => s[name] as number)), 1)]));
  } finally {
    await close();
    connection.disconnect();
  }
}
