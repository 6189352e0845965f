export { type BatchedEnqueue, batchedEnqueue } from "./batched-enqueue.ts";
export { type CallEventBatch, isCallEventBatch, jobsForEvents } from "./call-event-batch.ts";
export { connectQueues, type QueueConnection } from "./connect-queues.ts";
export {
  createRedisConnection,
  masters,
  type RedisClient,
  type RedisTarget,
  redisCheck,
  waitUntilReady,
} from "./connection.ts";
export { type JobHandler, parseJobData } from "./job-data.ts";
export { oldestWaitingJob } from "./oldest-waiting.ts";
export { keySlot, partitionOf, placeQueues, type QueuePlacement } from "./placement.ts";
export { registerQueueGauges } from "./queue-metrics.ts";
export { createQueues, type Queues, type RoutedJob } from "./queues.ts";
export {
  concurrencyOf,
  JOB_NAMES,
  type JobData,
  type JobKey,
  type JobName,
  type JobResult,
  jobIdFor,
  jobRegistry,
  type RerunPurpose,
} from "./registry.ts";
export { type RemapOutcome, remapUnmappedCalls } from "./remap-calls.ts";
export { requeueEvent } from "./requeue-event.ts";
