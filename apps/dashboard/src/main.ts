import { dashboardSettings, parseEnv } from "@anura/config";
import { runApp } from "@anura/lifecycle";
import { startDashboard } from "./start-dashboard.ts";

await runApp("dashboard", parseEnv(dashboardSettings), startDashboard);
