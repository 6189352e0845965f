import type { DbOrTx } from "../client.ts";
import { sql } from "../drizzle.ts";
import { queueDepthSamples } from "../schema/index.ts";
import { type HourCount, hourOf } from "./hourly-series.ts";

export type QueueDepthSample = Omit<typeof queueDepthSamples.$inferInsert, "minute">;

/** One row per queue and minute: a second dashboard sampling the same minute overwrites, never adds. */
export async function recordQueueDepths(db: DbOrTx, minute: Date, samples: QueueDepthSample[]): Promise<void> {
  if (samples.length === 0) return;
  await db
    .insert(queueDepthSamples)
    .values(samples.map((sample) => ({ ...sample, minute })))
    .onConflictDoUpdate({
      target: [queueDepthSamples.queue, queueDepthSamples.minute],
      set: { waiting: sql`excluded.waiting`, delayed: sql`excluded.delayed`, active: sql`excluded.active` },
    });
}

/** Drop samples older than `before`: the charts need 24 h, the table keeps a little more. */
export async function pruneQueueDepths(db: DbOrTx, before: Date): Promise<void> {
  await db.execute(sql`delete from queue_depth_samples where minute < ${before.toISOString()}`);
}

/** The most jobs waiting in each queue during each hour. */
export function peakWaitingPerHour(db: DbOrTx, since: Date) {
  return db.execute<HourCount>(sql`
    select ${hourOf(sql`minute`)} as hour, queue as key, max(waiting)::int as count
    from queue_depth_samples where minute >= ${since.toISOString()}
    group by 1, 2 order by 1, 2`);
}
