import { z } from "zod";
import { bool, commaList, optionalId, seconds } from "./fields.ts";
import { EnvError } from "./parse-env.ts";
import { trustProxy } from "./trust-proxy.ts";

// Each group: its variables (documented where declared), then the settings the code reads from them.

/** Postgres connections an app keeps open: `createDb`'s pool; each app sets its own default (see the apps' envs). */
export const databasePoolSize = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

export const databaseEnv = z.object({
  DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/auditoria"),
  /** Where migrations run: they hold a session-level lock, which a transaction pooler cannot keep. Default DATABASE_URL. */
  DATABASE_DIRECT_URL: z.string().url().optional(),
  /** false behind a transaction pooler (PgBouncer pool_mode=transaction): a named prepared statement lives on one server connection. */
  DATABASE_PREPARED_STATEMENTS: bool(true),
  DATABASE_POOL_SIZE: databasePoolSize(2),
});
export const databaseSettings = (env: z.output<typeof databaseEnv>) => ({
  url: env.DATABASE_URL,
  migrationUrl: env.DATABASE_DIRECT_URL ?? env.DATABASE_URL,
  poolSize: env.DATABASE_POOL_SIZE,
  prepare: env.DATABASE_PREPARED_STATEMENTS,
});
export type DatabaseSettings = ReturnType<typeof databaseSettings>;

const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, "expected host:port")
  .transform((value) => {
    const at = value.lastIndexOf(":");
    return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
  });

export const redisEnv = z.object({
  /** A single Redis; ignored when REDIS_CLUSTER_NODES is set. */
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /** Seed nodes of a Redis Cluster (host:port,host:port,...): every Redis user then talks to the cluster. */
  REDIS_CLUSTER_NODES: commaList.pipe(z.array(hostPort)).optional(),
  /** Every Redis key starts with it; in a cluster it needs a {hash tag} (default there: {anura}). */
  QUEUE_PREFIX: z.string().min(1).optional(),
  /** call.event split into this many queues (a call always in the same one), each on its own hash tag. */
  QUEUE_PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
});

/** `{tag}` anywhere with something inside: Redis Cluster hashes only that part of a key. */
const HASH_TAG = /\{[^}]+\}/;

/** Which Redis (one node or a cluster) and the key prefix; `ctx` reports a prefix a cluster cannot use. */
export function redisSettings(env: z.output<typeof redisEnv>, ctx?: z.RefinementCtx) {
  const clusterNodes = env.REDIS_CLUSTER_NODES?.length ? env.REDIS_CLUSTER_NODES : undefined;
  const queuePrefix = env.QUEUE_PREFIX ?? (clusterNodes ? "{anura}" : "anura");
  if (clusterNodes && !HASH_TAG.test(queuePrefix)) {
    const message = `"${queuePrefix}" has no {hash tag}, and REDIS_CLUSTER_NODES is set: a queue's Lua scripts touch several of its keys at once, which a cluster refuses (CROSSSLOT) unless they share a slot. Use e.g. QUEUE_PREFIX={${queuePrefix}}`;
    if (!ctx) throw new EnvError([`QUEUE_PREFIX: ${message}`]);
    ctx.addIssue({ code: "custom", path: ["QUEUE_PREFIX"], message });
  }
  return { url: env.REDIS_URL, clusterNodes, queuePrefix, queuePartitions: env.QUEUE_PARTITIONS };
}
export type RedisSettings = ReturnType<typeof redisSettings>;

export const s3Env = z.object({
  /** Unset: `pnpm start` runs an embedded development S3 server. */
  S3_ENDPOINT: z.string().min(1).optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).default("audios"),
  S3_REGION: z.string().min(1).default("us-east-1"),
});

export const anuraEnv = z.object({
  ANURA_DEFAULT_CAMPAIGN_ID: optionalId,
  ANURA_DEFAULT_OPERATOR_ID: optionalId,
  ANURA_TIMEZONE: z.string().min(1).default("America/Argentina/Buenos_Aires"),
  /** Sent with task_params so AuditorIA's transcription workers know which model and who queued it. */
  TRANSCRIPTION_MODEL: z.string().min(1).default("large-v3"),
  TRANSCRIPTION_DEVICE: z.string().min(1).default("cuda"),
  TASK_USERNAME: z.string().min(1).default("anura-webhook"),
});
/** What a call maps to when its tags and agent fields name nothing that exists. */
export interface MappingDefaults {
  defaultCampaignId?: number;
  defaultOperatorId?: number;
}
export const mappingSettings = (env: z.output<typeof anuraEnv>): MappingDefaults => ({
  defaultCampaignId: env.ANURA_DEFAULT_CAMPAIGN_ID,
  defaultOperatorId: env.ANURA_DEFAULT_OPERATOR_ID,
});
export const taskSettings = (env: z.output<typeof anuraEnv>) => ({
  model: env.TRANSCRIPTION_MODEL,
  device: env.TRANSCRIPTION_DEVICE,
  username: env.TASK_USERNAME,
});

export const logEnv = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
  /** auto: readable on a terminal, JSON lines when piped or collected. */
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
});
export const logSettings = (env: z.output<typeof logEnv>) => ({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });

export const shutdownEnv = z.object({
  SHUTDOWN_TIMEOUT: seconds(30),
});

/** Every HTTP server's defences against slow or too many clients, and which proxy headers to believe. */
export const httpServerEnv = z.object({
  TRUST_PROXY: trustProxy,
  /** A client must send its request headers within this long. */
  HTTP_HEADERS_TIMEOUT: seconds(10),
  /** A client must send its whole request (headers and body) within this long. */
  HTTP_REQUEST_TIMEOUT: seconds(30),
  /** An idle keep-alive connection is closed after this long; longer than a load balancer's idle timeout. */
  HTTP_KEEP_ALIVE_TIMEOUT: seconds(65),
  /** Open connections beyond this are refused, so sockets cannot exhaust file descriptors or memory. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(10_000),
});

/** Days after which a call's phone numbers, names and free fields are scrubbed from our tables. */
export const personalDataEnv = z.object({
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().positive().default(90),
});

/** Anura's REST API, for reconciling with its CDR list: on when both credentials are set, off when neither is. */
export const anuraApiEnv = z.object({
  ANURA_API_CLIENT_ID: z.string().min(1).optional(),
  ANURA_API_CLIENT_SECRET: z.string().min(1).optional(),
  ANURA_TOKEN_URL: z.string().url().default("https://sso.anura.com.ar/auth/realms/anura/protocol/openid-connect/token"),
  ANURA_API_URL: z.string().url().default("https://api.anura.com.ar/GCAPI/rest/"),
  /** How often the CDR list is checked. */
  ANURA_CDR_POLL_SECONDS: z.coerce.number().positive().default(300),
  /** CDRs that ended less than this long ago are left for the next poll: their webhooks may still be on the way. */
  ANURA_CDR_SETTLE_SECONDS: seconds(180),
  /** Each window starts this far before the end of the last successful one (the first one looks back this far). */
  ANURA_CDR_OVERLAP_SECONDS: seconds(900),
});
export type AnuraApiSettings = {
  tokenUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeZone: string;
};
/** The API's settings, null when reconciliation is off; one credential without the other is a configuration error. */
export function anuraApiSettings(
  env: z.output<typeof anuraApiEnv> & { ANURA_TIMEZONE: string },
  ctx: z.core.$RefinementCtx,
): AnuraApiSettings | null {
  const { ANURA_API_CLIENT_ID: clientId, ANURA_API_CLIENT_SECRET: clientSecret } = env;
  if (!clientId && !clientSecret) return null;
  if (!clientId || !clientSecret) {
    const missing = clientId ? "ANURA_API_CLIENT_SECRET" : "ANURA_API_CLIENT_ID";
    ctx.addIssue({
      code: "custom",
      path: [missing],
      message: `${missing} is missing: set both ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET to reconcile with Anura's CDR list, or neither to turn it off`,
    });
    return null;
  }
  return { tokenUrl: env.ANURA_TOKEN_URL, apiUrl: env.ANURA_API_URL, clientId, clientSecret, timeZone: env.ANURA_TIMEZONE };
}
