import { ingesterSettings, parseEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startIngester } from "./start-ingester.ts";

const settings = parseEnv(ingesterSettings);
const log = createLogger({ name: "ingester", ...settings.log });
const ingester = await startIngester(settings, log);
exitOnSignal(log, settings.shutdownTimeoutMs, ingester.close);
