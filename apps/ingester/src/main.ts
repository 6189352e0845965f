import { ingesterEnv, parseEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startIngester } from "./start-ingester.ts";

const env = parseEnv(ingesterEnv);
const log = createLogger({ name: "ingester", level: env.LOG_LEVEL, format: env.LOG_FORMAT });
const ingester = await startIngester(env, log);
exitOnSignal(log, env.SHUTDOWN_TIMEOUT, ingester.close);
