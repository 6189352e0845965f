export { generateMp3 } from "@anura/dev-recordings";
export { type FaultProxy, type ProxyMode, startFaultProxy } from "./fault-proxy.ts";
export { type PgBouncer, startPgBouncer } from "./pgbouncer.ts";
export { type Behaviour, RecordingServer } from "./recording-server.ts";
export { freePort, startRedisServer } from "./redis-server.ts";
export { seedEndEvent } from "./seed-event.ts";
export { ADMIN_DATABASE_URL, createTestDatabase, TEST_REDIS_URL, uniquePrefix } from "./test-database.ts";
export { startTestServices, type TestServices, type TestServicesOptions } from "./test-services.ts";
export { waitFor } from "./wait-for.ts";
