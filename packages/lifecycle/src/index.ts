export * from "./dependency-watch.ts";
export type { HttpListener } from "./listen.ts";
export { createRegistry, metricsHandler } from "./metrics.ts";
export { privateNetworkOnly } from "./private-network-only.ts";
export { readinessHandler } from "./readiness.ts";
export { exitOnSignal, runApp } from "./run-app.ts";
export { type AppBase, type AppBaseOptions, type AppBaseSettings, type CloseStep, startAppBase } from "./start-app.ts";
