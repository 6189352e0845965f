export { createDb, type Db, type DbHandle, type DbOrTx } from "./client.ts";
export { migrateDatabase } from "./migrate.ts";
export * from "./repositories/api-keys.ts";
export * from "./repositories/call-logs.ts";
export * from "./repositories/calls.ts";
export * from "./repositories/campaigns.ts";
export * from "./repositories/tasks.ts";
export * as schema from "./schema/index.ts";
export * from "./repositories/stats.ts";
