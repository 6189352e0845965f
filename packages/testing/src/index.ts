export { generateMp3 } from "./mp3.ts";
export {
  type AppProcess,
  type ProcessStack,
  type ProcessStackOptions,
  startIngesterProcess,
  startProcessStack,
  startWorkerProcess,
} from "./process-stack.ts";
export { type Behaviour, RecordingServer } from "./recording-server.ts";
export { freePort, startRedisServer } from "./redis-server.ts";
export { seedEndEvent } from "./seed-event.ts";
export { type Stack, type StackOptions, startStack } from "./stack.ts";
export { startTcpProxy } from "./tcp-proxy.ts";
export { ADMIN_DATABASE_URL, createTestDatabase, TEST_REDIS_URL, uniquePrefix } from "./test-database.ts";
export { waitFor } from "./wait-for.ts";
