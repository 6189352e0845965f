import { parseEnv, workerSettings } from "@anura/config";
import { runApp } from "@anura/lifecycle";
import { startWorker } from "./start-worker.ts";

await runApp("worker", parseEnv(workerSettings), startWorker);
