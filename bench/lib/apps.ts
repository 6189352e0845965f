import { mkdirSync } from "node:fs";
import { type AppName, appEntry, COMPILED } from "../../scripts/app-process.ts";
import type { BenchDatabase } from "./database.ts";
import { type Child, freePort, spawnNode, waitForPort } from "./processes.ts";
import type { RecordingHost } from "./recording-host.ts";
import type { BenchRedis } from "./redis.ts";
import type { BenchS3 } from "./s3.ts";

/** Everything the apps run against during the bench. */
export interface Services {
  database: BenchDatabase;
  redis: BenchRedis;
  s3: BenchS3;
  recordings: RecordingHost;
  prefix: string;
  /** Apps to run under --cpu-prof ("ingester", "worker"). */
  profile: string[];
  /** Node flags an app starts with: its APP_NODE_FLAGS unless BENCH_NODE_FLAGS says otherwise. */
  nodeFlags: (app: AppName) => string[];
}

export interface RunningApp {
  child: Child;
  port: number;
  url: string;
}

export const PROFILE_DIR = "bench/results/profiles";

/** Node's own arguments for an app: the flags it is deployed with, its compiled packages, and --cpu-prof when asked. */
export function appNodeArgs(services: Services, app: AppName): string[] {
  const flags = [...services.nodeFlags(app), COMPILED];
  if (!services.profile.includes(app)) return flags;
  mkdirSync(PROFILE_DIR, { recursive: true });
  return [...flags, "--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${app}-${Date.now()}.cpuprofile`];
}

export function appEnv(services: Services): Record<string, string> {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT: "10",
    DATABASE_URL: services.database.url,
    REDIS_URL: services.redis.url,
    QUEUE_PREFIX: services.prefix,
    S3_ENDPOINT: services.s3.endpoint,
    S3_ACCESS_KEY: services.s3.accessKey,
    S3_SECRET_KEY: services.s3.secretKey,
    S3_BUCKET: services.s3.bucket,
    RECORDING_ALLOWED_HOSTS: services.recordings.host,
    // The bench measures capacity, not the limiter: every request must reach the queue.
    WEBHOOK_RATE_LIMIT_PER_MINUTE: "1000000000",
  };
}

export async function startIngester(services: Services): Promise<RunningApp> {
  const port = await freePort();
  const child = spawnNode("ingester", appEntry("ingester"), {
    env: { ...appEnv(services), PORT: String(port) },
    nodeArgs: appNodeArgs(services, "ingester"),
  });
  await waitForPort(port, child, 60_000); // start-up takes seconds on a busy machine
  return { child, port, url: `http://127.0.0.1:${port}/webhook/anura/` };
}

/** A worker process consuming every queue at its default concurrency; ready once its ops port listens. */
export async function startWorker(services: Services, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const child = spawnNode("worker", appEntry("worker"), {
    env: { ...appEnv(services), WORKER_METRICS_PORT: String(port), ...env },
    nodeArgs: appNodeArgs(services, "worker"),
  });
  await waitForPort(port, child, 60_000); // start-up takes seconds on a busy machine
  return { child, port, url: `http://127.0.0.1:${port}` };
}

/** One of the bench's tiny HTTP baseline servers (bench/baselines/*.ts) as a child process. */
export async function startBaselineServer(name: string, script: string): Promise<RunningApp> {
  const port = await freePort();
  const child = spawnNode(name, script, { env: { NODE_ENV: "production" }, args: [String(port)] });
  await waitForPort(port, child);
  return { child, port, url: `http://127.0.0.1:${port}/webhook/anura/` };
}
