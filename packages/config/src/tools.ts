import { z } from "zod";
import { dashboardEnv, ingesterEnv, workerEnv } from "./apps.ts";
import {
  anuraApiEnv,
  anuraApiSettings,
  anuraEnv,
  databaseEnv,
  databaseSettings,
  logEnv,
  personalDataEnv,
  redisEnv,
  redisSettings,
  s3Env,
} from "./core.ts";
import { devEnv } from "./dev.ts";

// What the two commands an operator runs read: the CLI (`pnpm cli`) and `pnpm start`. Each parses
// its settings once at its entry point; the defaults are the apps' own, taken from their variables.

export const cliEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...personalDataEnv.shape,
  ...anuraApiEnv.shape,
  ANURA_TIMEZONE: anuraEnv.shape.ANURA_TIMEZONE,
  NODE_ENV: logEnv.shape.NODE_ENV,
  /** simulate-call posts to the ingester on this port unless given --url. */
  PORT: ingesterEnv.shape.PORT,
  DEV_RECORDINGS_PORT: devEnv.shape.DEV_RECORDINGS_PORT,
  DEV_ANURA_API_PORT: devEnv.shape.DEV_ANURA_API_PORT,
});

export const cliSettings = cliEnv.transform((env, ctx) => ({
  database: databaseSettings(env),
  redis: redisSettings(env, ctx),
  personalDataRetentionDays: env.PERSONAL_DATA_RETENTION_DAYS,
  timeZone: env.ANURA_TIMEZONE,
  /** `cdrs reconcile`: Anura's API (null without credentials) and how recent a CDR may be. */
  cdrApi: anuraApiSettings(env, ctx),
  cdrSettleMs: env.ANURA_CDR_SETTLE_SECONDS * 1000,
  production: env.NODE_ENV === "production",
  ingesterPort: env.PORT,
  devRecordingsPort: env.DEV_RECORDINGS_PORT,
  /** simulate-call --webhook-lost hands its call to the stand-in for Anura's API here. */
  devAnuraApiPort: env.DEV_ANURA_API_PORT,
}));
export type CliSettings = z.output<typeof cliSettings>;

export const startAllEnv = z.object({
  ...logEnv.shape,
  ...databaseEnv.shape,
  ...devEnv.shape,
  S3_ENDPOINT: s3Env.shape.S3_ENDPOINT,
  PORT: ingesterEnv.shape.PORT,
  DASHBOARD_PORT: dashboardEnv.shape.DASHBOARD_PORT,
  WORKER_METRICS_PORT: workerEnv.shape.WORKER_METRICS_PORT,
  RECORDING_ALLOWED_HOSTS: workerEnv.shape.RECORDING_ALLOWED_HOSTS,
  /** Either one set: Anura's API is the operator's, so no stand-in runs for it. */
  ANURA_API_CLIENT_ID: anuraApiEnv.shape.ANURA_API_CLIENT_ID,
  ANURA_API_CLIENT_SECRET: anuraApiEnv.shape.ANURA_API_CLIENT_SECRET,
  // Without their defaults: unset, the stand-in gets a schedule of its own.
  ANURA_CDR_POLL_SECONDS: anuraApiEnv.shape.ANURA_CDR_POLL_SECONDS.unwrap().optional(),
  ANURA_CDR_SETTLE_SECONDS: anuraApiEnv.shape.ANURA_CDR_SETTLE_SECONDS.unwrap().optional(),
});
export type StartAllEnv = z.output<typeof startAllEnv>;

/** What the tests read: the Postgres and Redis the apps would use (their variables and defaults), and the programs they drive. */
export const testRunEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  PGBOUNCER_PATH: z.string().default("/usr/sbin/pgbouncer"),
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
  PROMETHEUS_PATH: z.string().default("/usr/bin/prometheus"),
  PROMTOOL_PATH: z.string().default("/usr/bin/promtool"),
});
