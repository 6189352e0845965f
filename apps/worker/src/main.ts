import { parseEnv, workerSettings } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startWorker } from "./start-worker.ts";

const settings = parseEnv(workerSettings);
const log = createLogger({ name: "worker", ...settings.log });
const worker = await startWorker(settings, log);
exitOnSignal(log, settings.shutdownTimeoutMs, worker.close);
