export { JOB_NAMES, type JobData, type JobName, jobCatalog, parseJobData, queueEnvName } from "./catalog.ts";
export { createRedisConnection, waitUntilReady } from "./connection.ts";
export { defaultJobOptions, jobRetention, RECORDING_BACKOFF } from "./job-options.ts";
export { registerQueueGauges } from "./queue-metrics.ts";
export { createQueues, jobIds, type Queues } from "./queues.ts";
