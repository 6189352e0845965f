import { workerSettings } from "@anura/config";
import { runApp } from "@anura/lifecycle";
import { startWorker } from "./start-worker.ts";

await runApp("worker", workerSettings, startWorker);
