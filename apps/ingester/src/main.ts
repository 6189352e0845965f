import { ingesterEnv, parseEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startIngester } from "./start-ingester.ts";

const env = parseEnv(ingesterEnv);
const log = createLogger({ name: "ingester", level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
const ingester = await startIngester(env, log);
exitOnSignal(log, env.SHUTDOWN_TIMEOUT, ingester.close);
