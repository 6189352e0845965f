export { anuraCalls } from "./anura-calls.ts";
export { anuraEvents } from "./anura-events.ts";
export { callLogs } from "./call-logs.ts";
export { campaigns } from "./campaigns.ts";
export { globalApiKeys } from "./global-api-keys.ts";
export { queueDepthSamples } from "./queue-depth-samples.ts";
export { tasks } from "./tasks.ts";
export { webhookInbox } from "./webhook-inbox.ts";
