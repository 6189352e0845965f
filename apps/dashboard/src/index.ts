export { startDashboard } from "./start-dashboard.ts";
