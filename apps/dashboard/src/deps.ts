import type { Db, DbHandle } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues } from "@anura/queue";
import type { Credentials } from "./credentials.ts";

export interface DashboardDeps {
  db: Db;
  sql: DbHandle["sql"];
  queues: Queues;
  log: Logger;
  credentials: Credentials;
}
