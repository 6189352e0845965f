export * from "./apps.ts";
export * from "./core.ts";
export * from "./dev.ts";
export { applyHttpLimits, type HttpServerEnv, type HttpServerSettings, httpServerSettings } from "./http-server.ts";
export { EnvError, parseEnv } from "./parse-env.ts";
export * from "./tools.ts";
export type { TrustProxy } from "./trust-proxy.ts";
