export { startDashboard } from "./start-dashboard.ts";
export { type Alarms, AlarmMonitor } from "./alarms/alarm-monitor.ts";
