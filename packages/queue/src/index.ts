export { connectQueues, type QueueConnection } from "./connect-queues.ts";
export { createRedisConnection, redisCheck, waitUntilReady } from "./connection.ts";
export { type JobHandler, parseJobData } from "./job-data.ts";
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
export { jobRetention, retentionFor } from "./retention.ts";
