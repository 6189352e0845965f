import { z } from "zod";
import { anuraEnv, databaseEnv, httpServerEnv, logEnv, personalDataEnv, redisEnv, s3Env, shutdownEnv } from "./core.ts";
import { commaList, port, seconds, secondsList } from "./fields.ts";

export const ingesterEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...anuraEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  PORT: port(8001),
  HOST: z.string().default("0.0.0.0"),
  /** How long a looked-up API key is trusted before asking Postgres again (also the revocation delay). */
  API_KEY_CACHE_SECONDS: seconds(5),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(12000),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export const workerEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...s3Env.shape,
  ...anuraEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  /** Which queues this process consumes; unset = all of them. */
  WORKER_QUEUES: commaList.optional(),
  CALL_EVENT_CONCURRENCY: z.coerce.number().int().positive().default(8),
  RECORDING_FETCH_CONCURRENCY: z.coerce.number().int().positive().default(4),
  TASK_CREATE_CONCURRENCY: z.coerce.number().int().positive().default(8),
  WORKER_METRICS_PORT: port(9101),
  /** A job's lock (renewed every quarter of it); a crashed worker's jobs are handed on within about 1.5 × this. */
  JOB_LOCK_SECONDS: z.coerce.number().min(2).default(8),
  RECORDING_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 3),
  /** Seconds between attempts while a recording is not ready or its host fails. */
  RECORDING_RETRY_DELAYS: secondsList.default([10, 30, 60, 120, 300, 900, 3600]),
  /** Give up on a recording this many seconds after the first attempt. */
  RECORDING_RETRY_HORIZON: seconds(24 * 3600),
  RECORDING_CONNECT_TIMEOUT: seconds(10),
  RECORDING_IDLE_TIMEOUT: seconds(30),
  /** host or host:port, wildcards allowed; the only way to reach a private address. */
  RECORDING_ALLOWED_HOSTS: commaList.optional(),
  /** A header line "Name: value" sent when the recording host asks for credentials. */
  ANURA_RECORDING_AUTH: z.string().min(1).optional(),
  RECONCILE_AFTER: seconds(15 * 60),
  STALE_CALL_AFTER: seconds(6 * 3600),
  SWEEP_INTERVAL: seconds(60),
  ...personalDataEnv.shape,
});

export const dashboardEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  DASHBOARD_PORT: port(8002),
  /** The worker's retry schedule, read here too so a call's timeline says which attempt is next and when it gives up. */
  RECORDING_RETRY_DELAYS: workerEnv.shape.RECORDING_RETRY_DELAYS,
  RECORDING_RETRY_HORIZON: workerEnv.shape.RECORDING_RETRY_HORIZON,
  /** Tasks we created still `pending` this long are counted as stalled (AuditorIA's workers may have stopped). */
  TRANSCRIPTION_STALL_AFTER: seconds(30 * 60),
  /** A key that usually sends at this hour of the week and has sent nothing for this long raises the silence alarm. */
  SILENCE_ALERT_AFTER: seconds(30 * 60),
  HOST: z.string().default("0.0.0.0"),
  DASHBOARD_USER: z.string().min(1).optional(),
  DASHBOARD_PASSWORD: z.string().min(8, "use at least 8 characters").optional(),
  /** Failed logins allowed per client address and per user name in DASHBOARD_LOGIN_WINDOW before 429. */
  DASHBOARD_LOGIN_ATTEMPTS: z.coerce.number().int().positive().default(10),
  DASHBOARD_LOGIN_WINDOW: z.coerce
    .number()
    .min(1)
    .default(15 * 60), // seconds
});

export type IngesterEnv = z.output<typeof ingesterEnv>;
export type WorkerEnv = z.output<typeof workerEnv>;
export type DashboardEnv = z.output<typeof dashboardEnv>;
