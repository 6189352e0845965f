import { dashboardSettings, parseEnv } from "@anura/config";
import { exitOnSignal } from "@anura/lifecycle";
import { createLogger } from "@anura/logger";
import { startDashboard } from "./start-dashboard.ts";

const settings = parseEnv(dashboardSettings);
const log = createLogger({ name: "dashboard", ...settings.log });
const dashboard = await startDashboard(settings, log);
exitOnSignal(log, settings.shutdownTimeoutMs, dashboard.close);
