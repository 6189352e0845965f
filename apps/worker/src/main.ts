import { parseEnv, workerEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startWorker } from "./start-worker.ts";

const env = parseEnv(workerEnv);
const log = createLogger({ name: "worker", level: env.LOG_LEVEL, format: env.LOG_FORMAT });
const worker = await startWorker(env, log);
exitOnSignal(log, env.SHUTDOWN_TIMEOUT, worker.close);
