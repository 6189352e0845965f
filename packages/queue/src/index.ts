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
export { createQueues, type Queues } from "./queues.ts";
export {
  JOB_NAMES,
  type JobData,
  type JobKey,
  type JobName,
  jobIdFor,
  jobRegistry,
  RECORDING_BACKOFF,
} from "./registry.ts";
export { type RemapOutcome, remapUnmappedCalls } from "./remap-calls.ts";
export { requeueEvent } from "./requeue-event.ts";
export { jobRetention, retentionFor } from "./retention.ts";
