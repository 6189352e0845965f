import { dashboardEnv, parseEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startDashboard } from "./start-dashboard.ts";

const env = parseEnv(dashboardEnv);
const log = createLogger({ name: "dashboard", level: env.LOG_LEVEL, format: env.LOG_FORMAT });
const dashboard = await startDashboard(env, log);
exitOnSignal(log, env.SHUTDOWN_TIMEOUT, dashboard.close);
