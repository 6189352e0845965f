export * from "./dependency-watch.ts";
export { httpRequests, seriesIn } from "./metric-series.ts";
export { metricsHandler } from "./metrics.ts";
export { privateNetworkOnly } from "./private-network-only.ts";
export { readinessHandler } from "./readiness.ts";
export { runApp } from "./run-app.ts";
export { startAppBase } from "./start-app.ts";
