import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingesterEnv, parseEnv, workerEnv } from "@anura/config";
import { createApiKey, createCampaign, createDb } from "@anura/db";
import { startEmbeddedS3 } from "@anura/dev-s3";
import { startIngester } from "@anura/ingester-app";
import { createLogger } from "@anura/logger";
import { createRecordingStore } from "@anura/storage";
import { startWorker } from "@anura/worker-app";
import { RecordingServer } from "./recording-server.ts";
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from "./test-database.ts";

export interface StackOptions {
  env?: Record<string, string>;
  /** Start the worker too (default true); tests of the ingester alone leave it out. */
  worker?: boolean;
  /** Overrides for the ingester only, given the stack's env (e.g. a DATABASE_URL through a proxy). */
  ingesterEnv?: (env: Record<string, string>) => Record<string, string>;
  /** Where the apps' JSON logs go (default: nowhere), for tests that read them. */
  logTo?: NodeJS.WritableStream;
}

/**
 * The whole system in one test process, on real services: its own Postgres database, its own Redis
 * key prefix, an embedded S3 server, and a local HTTP server standing in for Anura's recording host.
 */
export async function startStack(options: StackOptions = {}) {
  const database = await createTestDatabase();
  const s3Dir = await mkdtemp(join(tmpdir(), "anura-s3-"));
  const s3 = await startEmbeddedS3({ directory: s3Dir });
  const recordings = await new RecordingServer().start();
  const prefix = uniquePrefix("stack");
  const log = options.logTo
    ? createLogger({ name: "test", level: "debug", destination: options.logTo })
    : createLogger({ name: "test", level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: "audios",
    PORT: "0",
    HOST: "127.0.0.1",
    WORKER_METRICS_PORT: "0",
    RECORDING_ALLOWED_HOSTS: recordings.host,
    RECORDING_RETRY_DELAYS: "0.2,0.4",
    SHUTDOWN_TIMEOUT: "5",
    ...options.env,
  };
  const ingester = await startIngester(parseEnv(ingesterEnv, { ...env, ...options.ingesterEnv?.(env) }), log);
  const worker = options.worker === false ? null : await startWorker(parseEnv(workerEnv, env), log);
  const db = createDb(database.url, { max: 3 });
  const store = createRecordingStore({
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: "audios",
    region: "us-east-1",
  });
  const baseUrl = `http://127.0.0.1:${ingester.port}`;

  return {
    env,
    db: db.db,
    sql: db.sql,
    store,
    recordings,
    worker,
    baseUrl,
    prefix,
    ingester,
    createApiKey: async () => (await createApiKey(db.db, "test")).plainKey,
    createCampaign: (id: number, name = `campaign ${id}`) => createCampaign(db.db, { id, name }),
    /** POST to the webhook (or another path) with the given body and headers. */
    post: async (body: string | object, headers: Record<string, string> = {}, path = "/webhook/anura/") => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const contentType = typeof body === "string" ? {} : { "content-type": "application/json" };
      const res = await fetch(`${baseUrl}${path}`, { method: "POST", body: text, headers: { ...contentType, ...headers } });
      return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> };
    },
    async close() {
      await worker?.close();
      await ingester.close();
      await db.close();
      await recordings.close();
      await s3.close();
      await rm(s3Dir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
