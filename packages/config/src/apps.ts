import { z } from "zod";
import {
  type AnuraApiSettings,
  anuraApiEnv,
  anuraApiSettings,
  anuraEnv,
  databaseEnv,
  databasePoolSize,
  databaseSettings,
  httpServerEnv,
  logEnv,
  logSettings,
  mappingSettings,
  personalDataEnv,
  redisEnv,
  redisSettings,
  s3Env,
  shutdownEnv,
  taskSettings,
} from "./core.ts";
import { commaList, port, seconds, secondsList } from "./fields.ts";
import { httpServerSettings } from "./http-server.ts";

const concurrency = z.coerce.number().int().positive().optional();

// Each app: the variables it reads (`*Env`, documented here), and the one transform into the nested,
// typed settings its code uses (`*Settings`: durations in milliseconds unless a name says otherwise).

export const ingesterEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...anuraEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  /** Each webhook costs an API-key lookup at most every API_KEY_CACHE_SECONDS and, when Redis refuses, an inbox insert. */
  DATABASE_POOL_SIZE: databasePoolSize(4),
  PORT: port(8001),
  HOST: z.string().default("0.0.0.0"),
  /** How long a looked-up API key is trusted before asking Postgres again (also the revocation delay). */
  API_KEY_CACHE_SECONDS: seconds(5),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(12000),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export const ingesterSettings = ingesterEnv.transform((env, ctx) => ({
  ...processSettings(env, ctx),
  listen: { port: env.PORT, host: env.HOST },
  mapping: mappingSettings(env),
  timeZone: env.ANURA_TIMEZONE,
  apiKeyCacheMs: env.API_KEY_CACHE_SECONDS * 1000,
  rateLimit: { webhookPerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE, publicPerMinute: env.PUBLIC_RATE_LIMIT_PER_MINUTE },
}));

export const workerEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...s3Env.shape,
  ...anuraEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  // Two: statements queue (pipelined) on a busy backend instead of waking an idle one (README, Performance).
  DATABASE_POOL_SIZE: databasePoolSize(2),
  /** Which queues this process consumes; unset = all of them. */
  WORKER_QUEUES: commaList.optional(),
  // Unset: the default in the job's registry entry (packages/queue), beside the rest of its contract.
  CALL_EVENT_CONCURRENCY: concurrency,
  RECORDING_FETCH_CONCURRENCY: concurrency,
  TASK_CREATE_CONCURRENCY: concurrency,
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
  ...anuraApiEnv.shape,
});

export const workerSettings = workerEnv.transform((env, ctx) => {
  const { S3_ENDPOINT: endpoint, S3_ACCESS_KEY: accessKey, S3_SECRET_KEY: secretKey } = env;
  if (!endpoint || !accessKey || !secretKey) {
    ctx.addIssue({
      code: "custom",
      path: ["S3_ENDPOINT"],
      message: "S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY are required (`pnpm start` runs a development S3 when unset)",
    });
    return z.NEVER;
  }
  const api = anuraApiSettings(env, ctx);
  return {
    ...processSettings(env, ctx),
    s3: { endpoint, accessKey, secretKey, bucket: env.S3_BUCKET, region: env.S3_REGION },
    mapping: mappingSettings(env),
    task: taskSettings(env),
    /** Queue names as given; the worker checks them against its job registry. */
    queues: env.WORKER_QUEUES,
    /** Per-queue concurrency as set; each job's registry entry names its variable and its default. */
    concurrency: {
      CALL_EVENT_CONCURRENCY: env.CALL_EVENT_CONCURRENCY,
      RECORDING_FETCH_CONCURRENCY: env.RECORDING_FETCH_CONCURRENCY,
      TASK_CREATE_CONCURRENCY: env.TASK_CREATE_CONCURRENCY,
    },
    jobLockMs: env.JOB_LOCK_SECONDS * 1000,
    metricsPort: env.WORKER_METRICS_PORT,
    recording: {
      allowedHosts: env.RECORDING_ALLOWED_HOSTS,
      maxBytes: env.RECORDING_MAX_BYTES,
      connectTimeoutMs: env.RECORDING_CONNECT_TIMEOUT * 1000,
      idleTimeoutMs: env.RECORDING_IDLE_TIMEOUT * 1000,
      auth: authHeader(env.ANURA_RECORDING_AUTH),
      retry: recordingRetrySettings(env),
    },
    sweeper: {
      intervalMs: env.SWEEP_INTERVAL * 1000,
      // Ages stay in seconds: the sweeper compares them with the database's clock in SQL.
      reconcileAfterSeconds: env.RECONCILE_AFTER,
      staleAfterSeconds: env.STALE_CALL_AFTER,
      personalDataRetentionDays: env.PERSONAL_DATA_RETENTION_DAYS,
    },
    /** null: reconciliation with Anura's CDR list is off (no API credentials). */
    cdrReconcile: api && cdrReconcileSettings(env, api),
  };
});

/** The reconciler's schedule, in milliseconds, with the API it reads. */
export function cdrReconcileSettings(env: z.output<typeof anuraApiEnv>, api: AnuraApiSettings) {
  return {
    api,
    pollMs: env.ANURA_CDR_POLL_SECONDS * 1000,
    settleMs: env.ANURA_CDR_SETTLE_SECONDS * 1000,
    overlapMs: env.ANURA_CDR_OVERLAP_SECONDS * 1000,
  };
}
export type CdrReconcileSettings = ReturnType<typeof cdrReconcileSettings>;

export const dashboardEnv = z.object({
  ...databaseEnv.shape,
  ...redisEnv.shape,
  ...logEnv.shape,
  ...shutdownEnv.shape,
  ...httpServerEnv.shape,
  DATABASE_POOL_SIZE: databasePoolSize(4),
  DASHBOARD_PORT: port(8002),
  /** The worker's retry schedule, read here too so a call's timeline says which attempt is next and when it gives up. */
  RECORDING_RETRY_DELAYS: workerEnv.shape.RECORDING_RETRY_DELAYS,
  RECORDING_RETRY_HORIZON: workerEnv.shape.RECORDING_RETRY_HORIZON,
  /** Tasks we created still `pending` this long are counted as stalled (AuditorIA's workers may have stopped). */
  TRANSCRIPTION_STALL_AFTER: seconds(30 * 60),
  /** A key that usually sends at this hour of the week and has sent nothing for this long raises the silence alarm. */
  SILENCE_ALERT_AFTER: seconds(30 * 60),
  /** A recording download still failing this long after it was first queued is listed under "Needs attention". */
  NEEDS_ATTENTION_RECORDING_AFTER: seconds(60 * 60),
  /** Read here too, so an unmapped call's row says which default the worker maps with. */
  ANURA_DEFAULT_CAMPAIGN_ID: anuraEnv.shape.ANURA_DEFAULT_CAMPAIGN_ID,
  ANURA_DEFAULT_OPERATOR_ID: anuraEnv.shape.ANURA_DEFAULT_OPERATOR_ID,
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

export const dashboardSettings = dashboardEnv.transform((env, ctx) => ({
  ...processSettings(env, ctx),
  listen: { port: env.DASHBOARD_PORT, host: env.HOST },
  production: env.NODE_ENV === "production",
  /** Unset in development: the dashboard makes up a throwaway login. */
  login: { user: env.DASHBOARD_USER, password: env.DASHBOARD_PASSWORD },
  loginLimit: { attempts: env.DASHBOARD_LOGIN_ATTEMPTS, windowMs: env.DASHBOARD_LOGIN_WINDOW * 1000 },
  recordingRetry: recordingRetrySettings(env),
  // Ages stay in seconds: the alarms compare them with the database's clock in SQL.
  alarms: { silenceAfterSeconds: env.SILENCE_ALERT_AFTER, stallAfterSeconds: env.TRANSCRIPTION_STALL_AFTER },
  needsAttention: {
    recordingAfterSeconds: env.NEEDS_ATTENTION_RECORDING_AFTER,
    stallAfterSeconds: env.TRANSCRIPTION_STALL_AFTER,
    mapping: { defaultCampaignId: env.ANURA_DEFAULT_CAMPAIGN_ID, defaultOperatorId: env.ANURA_DEFAULT_OPERATOR_ID },
  },
}));

export type IngesterSettings = z.output<typeof ingesterSettings>;
export type WorkerSettings = z.output<typeof workerSettings>;
export type DashboardSettings = z.output<typeof dashboardSettings>;
export type RecordingRetrySettings = ReturnType<typeof recordingRetrySettings>;
export type ConcurrencySettings = WorkerSettings["concurrency"];
export type NeedsAttentionSettings = DashboardSettings["needsAttention"];

type ProcessEnv = z.output<typeof databaseEnv> &
  z.output<typeof redisEnv> &
  z.output<typeof logEnv> &
  z.output<typeof shutdownEnv> &
  z.output<typeof httpServerEnv>;

/** What every long-running app reads: its stores, logging, shutdown budget and HTTP server limits. */
function processSettings(env: ProcessEnv, ctx: z.RefinementCtx) {
  return {
    database: databaseSettings(env),
    redis: redisSettings(env, ctx),
    log: logSettings(env),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT * 1000,
    http: httpServerSettings(env),
    trustProxy: env.TRUST_PROXY,
  };
}

function recordingRetrySettings(env: { RECORDING_RETRY_DELAYS: number[]; RECORDING_RETRY_HORIZON: number }) {
  return { delaysSeconds: env.RECORDING_RETRY_DELAYS, horizonMs: env.RECORDING_RETRY_HORIZON * 1000 };
}

/** "Authorization: Bearer x" → { name, value }; a bare value is sent as Authorization. */
function authHeader(raw: string | undefined): { name: string; value: string } | undefined {
  if (!raw) return undefined;
  const match = /^([A-Za-z0-9-]+):\s*(.+)$/.exec(raw);
  return match ? { name: match[1] as string, value: match[2] as string } : { name: "Authorization", value: raw };
}
