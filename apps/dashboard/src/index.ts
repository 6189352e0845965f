export { AlarmMonitor, type Alarms } from "./alarms/alarm-monitor.ts";
export { startDashboard } from "./start-dashboard.ts";
