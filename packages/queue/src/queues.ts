import { type BulkJobOptions, type JobsOptions, type JobType, Queue } from "bullmq";
import type { RedisClient } from "./connection.ts";
import { partitionOf, placeQueues, type QueuePlacement } from "./placement.ts";
import { type JobData, type JobName, jobRegistry, partitionKeyOf } from "./registry.ts";

export interface Queues {
  /** Each job's queue; for a partitioned job (call.event, recording.fetch) its partition 0 only. */
  queues: Record<JobName, Queue>;
  /** Every queue, each partition included: what gauges and Bull Board list. */
  placed: Array<QueuePlacement & { queue: Queue }>;
  /** The queues that hold `name`'s jobs (one per partition for a partitioned job). */
  queuesOf(name: JobName): Queue[];
  /** The one queue holding this call's `name` jobs. */
  queueFor(name: JobName, cdrid: string): Queue;
  /** Job counts of `name` summed over its queues. */
  countsOf(name: JobName, ...states: JobType[]): Promise<Record<string, number>>;
  /**
   * Validates `data` against the job's schema, then adds it under the registry's id for it, so the
   * same job added twice (an event relayed twice, a call's download) runs once; `options.jobId` overrides that only to run the same work again on purpose.
   */
  enqueue<N extends JobName>(name: N, data: JobData<N>, options?: JobsOptions): Promise<void>;
  /**
   * enqueue without the schema parse, for data that already came out of it: the webhook's normalised
   * event (whose output the job's schema accepts unchanged) and the inbox relay's parsed jobs.
   * The worker still validates every payload it takes.
   */
  enqueueParsed<N extends JobName>(name: N, data: JobData<N>): Promise<void>;
  /** Where enqueueParsed would add this job and with what: for a caller adding several with one addBulk. */
  routeJob<N extends JobName>(name: N, data: JobData<N>): RoutedJob<N>;
  close(): Promise<void>;
}

/** A job as Queue.addBulk takes it, and the queue it belongs in. */
export interface RoutedJob<N extends JobName = JobName> {
  queue: Queue;
  job: { name: N; data: JobData<N>; opts: BulkJobOptions };
}

/** `onError` receives connection errors, which BullMQ would otherwise print raw to stderr. */
export function createQueues(
  connection: RedisClient,
  prefix: string,
  onError: (error: Error) => void = () => {},
  partitions = 1,
): Queues {
  const placed = placeQueues(prefix, partitions).map((placement) => ({
    ...placement,
    // No version check: it sends INFO at once, and on a fail-fast connection that Redis is not up for yet
    // it fails for good, leaving the queue broken after Redis returns (workers still check the version).
    queue: new Queue(placement.queueName, {
      connection,
      prefix: placement.prefix,
      defaultJobOptions: jobRegistry[placement.job].options,
      skipWaitingForReady: true,
      skipVersionCheck: true,
    }),
  }));
  for (const { queue } of placed) queue.on("error", onError);
  const queuesOf = (name: JobName) => placed.filter((p) => p.job === name).map((p) => p.queue);
  const queueFor = (name: JobName, cdrid: string) => {
    const all = queuesOf(name);
    return all[partitionOf(cdrid, all.length)] as Queue;
  };
  const queues = Object.fromEntries(placed.filter((p) => p.partition === 0).map((p) => [p.job, p.queue])) as Record<
    JobName,
    Queue
  >;
  /** Under the registry's id, in the call's own partition (a partitioned job), and for call.event in its lane. */
  function routeJob<N extends JobName>(name: N, data: JobData<N>, options: JobsOptions = {}): RoutedJob<N> {
    const jobId = (jobRegistry[name].jobId as (key: typeof data) => string)(data);
    const call = partitionKeyOf(name, data);
    const queue = call === null ? queues[name] : queueFor(name, call);
    const lane = name === "call.event" ? jobRegistry["call.event"].lane(data as JobData<"call.event">) : {};
    return { queue, job: { name, data, opts: { jobId, ...lane, ...options } } };
  }
  async function add<N extends JobName>(name: N, data: JobData<N>, options: JobsOptions) {
    const { queue, job } = routeJob(name, data, options);
    await queue.add(job.name, job.data, job.opts);
  }
  return {
    queues,
    placed,
    queuesOf,
    queueFor,
    async countsOf(name, ...states) {
      const sum: Record<string, number> = {};
      for (const counts of await Promise.all(queuesOf(name).map((queue) => queue.getJobCounts(...states)))) {
        for (const [state, count] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + count;
      }
      return sum;
    },
    async enqueue(name, data, options = {}) {
      await add(name, jobRegistry[name].schema.parse(data) as typeof data, options);
    },
    async enqueueParsed(name, data) {
      await add(name, data, {});
    },
    routeJob: (name, data) => routeJob(name, data),
    async close() {
      await Promise.all(placed.map(({ queue }) => queue.close()));
    },
  };
}
