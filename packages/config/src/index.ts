export * from "./apps.ts";
export * from "./core.ts";
export { EnvError, parseEnv } from "./parse-env.ts";
