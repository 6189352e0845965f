import { ingesterSettings, parseEnv, workerSettings } from "@anura/config";
import { startIngester } from "@anura/ingester-app";
import { createLogger } from "@anura/logger";
import { startTestServices } from "@anura/testing";
import { startWorker } from "@anura/worker-app";

export interface StackOptions {
  env?: Record<string, string>;
  /** Start the worker too (default true); tests of the ingester alone leave it out. */
  worker?: boolean;
  /** Overrides for the ingester only, given the stack's env (e.g. a DATABASE_URL through a proxy). */
  ingesterEnvOverrides?: (env: Record<string, string>) => Record<string, string>;
  /** Where the apps' JSON logs go (default: nowhere), for tests that read them. */
  logTo?: NodeJS.WritableStream;
}

/**
 * The whole system in one test process, on real services: its own Postgres database, its own Redis
 * key prefix, an embedded S3 server, and a local HTTP server standing in for Anura's recording host.
 */
export async function startStack(options: StackOptions = {}) {
  const services = await startTestServices({ label: "stack" });
  const log = options.logTo
    ? createLogger({ name: "test", level: "debug", destination: options.logTo })
    : createLogger({ name: "test", level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const env = {
    ...services.env,
    PORT: "0",
    HOST: "127.0.0.1",
    WORKER_METRICS_PORT: "0",
    RECORDING_RETRY_DELAYS: "0.2,0.4",
    SHUTDOWN_TIMEOUT: "5",
    ...options.env,
  };
  const ingester = await startIngester(parseEnv(ingesterSettings, { ...env, ...options.ingesterEnvOverrides?.(env) }), log);
  const worker = options.worker === false ? null : await startWorker(parseEnv(workerSettings, env), log);
  const baseUrl = `http://127.0.0.1:${ingester.port}`;

  return {
    env,
    db: services.db,
    sql: services.sql,
    store: services.store,
    recordings: services.recordings,
    worker,
    baseUrl,
    prefix: services.prefix,
    ingester,
    createApiKey: () => services.createApiKey("test"),
    createCampaign: services.createCampaign,
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
      await services.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
