export * from "./apps.ts";
export * from "./core.ts";
export * from "./dev.ts";
export { EnvError, parseEnv } from "./parse-env.ts";
