// `node bench/bullmq-commands.ts`: Redis commands one BullMQ job costs (add, take, finish; INFO
// commandstats, scripts' inner calls included) under the option variants measure (10) could use.
// Jobs are added one by one while the worker runs, as webhooks arrive; a private Redis, nothing else on it.
import { jobRegistry } from "@anura/queue";
import { type JobsOptions, Queue, Worker, type WorkerOptions } from "bullmq";
import { Redis } from "ioredis";
import { commandsBetween, startRedis } from "./lib/redis.ts";
import { round, sleep } from "./lib/stats.ts";

const JOBS = 500;
const CONCURRENCY = jobRegistry["call.event"].concurrency.default; // the worker's default
const retention = jobRegistry["recording.fetch"].retention; // most jobs' (call.event's is the third variant)
const callEventRetention = jobRegistry["call.event"].retention;
const jobOptions = jobRegistry["call.event"].options; // what every call.event job is added with

interface Variant {
  worker: Pick<WorkerOptions, "removeOnComplete" | "removeOnFail">;
  eventsMaxLen?: number;
  /** Options of every third job (a call's END) and of the others (START, TALK). */
  end?: JobsOptions;
  early?: JobsOptions;
}

const variants: Record<string, Variant> = {
  "the project's retention (age and count)": { worker: retention },
  "count only": { worker: { ...retention, removeOnComplete: { count: 200_000 } } },
  "removed on completion": { worker: { ...retention, removeOnComplete: { count: 0 } } },
  "events stream capped at 100": { worker: retention, eventsMaxLen: 100 },
  "removed on completion, END lifo (as configured)": { worker: callEventRetention, end: { lifo: true } },
  "removed on completion, START/TALK prioritized": { worker: callEventRetention, early: { priority: 1 } },
};

const redis = await startRedis();
try {
  for (const [name, variant] of Object.entries(variants)) {
    await redis.flush();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const streams = variant.eventsMaxLen ? { events: { maxLen: variant.eventsMaxLen } } : undefined;
    const queue = new Queue("q", { connection, prefix: "b", defaultJobOptions: jobOptions, streams });
    let done = 0;
    const worker = new Worker(
      "q",
      async () => {
        done++;
      },
      { connection, prefix: "b", concurrency: CONCURRENCY, autorun: false, ...variant.worker },
    );
    await worker.waitUntilReady();
    const before = await redis.commandCalls();
    void worker.run();
    for (let index = 0; index < JOBS; index++) {
      const lane = index % 3 === 2 ? variant.end : variant.early;
      await queue.add("q", { index }, { jobId: `job-${index}`, ...lane });
    }
    while (done < JOBS) await sleep(10);
    await sleep(200); // the last completions' scripts
    const after = await redis.commandCalls();
    await worker.close();
    await queue.close();
    connection.disconnect();
    const byName = commandsBetween(before, after);
    const total = byName.reduce((sum, [, calls]) => sum + calls, 0);
    const top = byName.slice(0, 10).map(([command, calls]) => `${command} ${round(calls / JOBS)}`);
    console.log(`${name}: ${round(total / JOBS)} commands per job (${top.join(", ")})`);
  }
} finally {
  await redis.close();
}
