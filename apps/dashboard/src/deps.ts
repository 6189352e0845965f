import type { NeedsAttentionSettings, RecordingRetrySettings, TrustProxy } from "@anura/config";
import type { Db } from "@anura/db";
import type { DependencyWatch } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import type { Queues, RedisClient } from "@anura/queue";
import type { AlarmMonitor } from "./alarms/alarm-monitor.ts";
import type { Credentials } from "./credentials.ts";
import type { LoginLimit } from "./http/login-guard.ts";
import type { DashboardMetrics } from "./observability/metrics.ts";
import type { HourlyRowsCache } from "./overview/hourly-rows-cache.ts";

export interface DashboardDeps {
  db: Db;
  queues: Queues;
  log: Logger;
  credentials: Credentials;
  redis: RedisClient;
  loginLimit: LoginLimit;
  metrics: DashboardMetrics;
  /** Postgres and Redis, watched: /readyz reports them. */
  dependencies: DependencyWatch;
  /** Silence alarm and transcription stall, evaluated from Postgres. */
  alarms: AlarmMonitor;
  /** The overview's hourly chart rows: complete hours refreshed in the background, the running hour live. */
  hourlyRows: HourlyRowsCache;
  /** Which X-Forwarded-For hops to believe (TRUST_PROXY), for every per-address decision. */
  trustProxy: TrustProxy;
  /** The worker's recording retry schedule (RECORDING_RETRY_DELAYS, RECORDING_RETRY_HORIZON), for call timelines. */
  recordingRetry: RecordingRetrySettings;
  /** The worklist's thresholds and mapping defaults; lockPrefix (QUEUE_PREFIX) names its bulk-action locks in Redis. */
  needsAttention: NeedsAttentionSettings & { lockPrefix: string };
}
