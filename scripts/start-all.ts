// `pnpm start`: the whole system on one machine — migrations, the development stand-ins, then the
// ingester, the worker and the dashboard as child processes sharing this terminal.
import { type ChildProcess, spawn } from "node:child_process";
import { databaseSettings, parseEnv, startAllEnv } from "@anura/config";
import { migrateDatabase } from "@anura/db";
import { createLogger } from "@anura/logger";
import { type AppName, appArgs, compileApps } from "./app-process.ts";
import { startDevServices } from "./dev-services.ts";
import { waitUntilAnswering } from "./wait-answering.ts";

const startedAt = Date.now();
// Read once; the apps read the same environment again, each into its own settings.
const settings = parseEnv(startAllEnv);
const { NODE_ENV } = settings;
const { migrationUrl } = databaseSettings(settings);
const log = createLogger({ name: "start", level: settings.LOG_LEVEL, format: settings.LOG_FORMAT });

try {
  await migrateDatabase(migrationUrl);
} catch (error) {
  const where = new URL(migrationUrl).host;
  log.fatal(
    `cannot migrate the database at ${where}: ${(error as Error).message}. Is Postgres running? (DATABASE_DIRECT_URL, else DATABASE_URL)`,
  );
  process.exit(1);
}
log.info("database migrated");

let devServices: Awaited<ReturnType<typeof startDevServices>>;
try {
  devServices = await startDevServices({
    production: NODE_ENV === "production",
    s3Endpoint: settings.S3_ENDPOINT,
    s3Port: settings.DEV_S3_PORT,
    recordingsPort: settings.DEV_RECORDINGS_PORT,
    recordingsHost: settings.DEV_RECORDINGS_HOST,
    allowedHosts: settings.RECORDING_ALLOWED_HOSTS,
    anuraApiPort: settings.DEV_ANURA_API_PORT,
    anuraApiGiven: Boolean(settings.ANURA_API_CLIENT_ID || settings.ANURA_API_CLIENT_SECRET),
    cdrPollSeconds: settings.ANURA_CDR_POLL_SECONDS,
    cdrSettleSeconds: settings.ANURA_CDR_SETTLE_SECONDS,
    log,
  });
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}
const childEnv: NodeJS.ProcessEnv = { ...process.env, ...devServices.env };

const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

compileApps();
for (const app of ["ingester", "worker", "dashboard"] satisfies AppName[]) {
  // .env was read once by this process (scripts/load-env.js); the apps inherit it.
  const child = spawn(process.execPath, appArgs(app), { env: childEnv, stdio: "inherit" });
  children.set(app, child);
  child.on("exit", (code, signal) => {
    children.delete(app);
    if (!stopping) {
      log.error(`${app} exited (${signal ?? code}); stopping the others`);
      void stop(1);
    } else if (children.size === 0) {
      void devServices.close().finally(() => process.exit(exitCode));
    }
  });
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of children.values()) child.kill("SIGTERM");
  if (children.size === 0) await devServices.close().finally(() => process.exit(exitCode));
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));

// Generous: on a busy machine the three apps can take a minute to load their modules.
const urls = {
  ingester: `http://127.0.0.1:${settings.PORT}/webhook/anura/health`,
  worker: `http://127.0.0.1:${settings.WORKER_METRICS_PORT}/healthz`,
  dashboard: `http://127.0.0.1:${settings.DASHBOARD_PORT}/`,
};
const answering = await Promise.all(Object.values(urls).map((url) => waitUntilAnswering(url, 300_000)));
const silent = Object.keys(urls).filter((_, index) => !answering[index]);
if (!stopping && silent.length > 0) {
  log.warn(`${silent.join(", ")} still not answering after 5 minutes: see the lines above`);
} else if (!stopping) {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const next = NODE_ENV === "production" ? "" : "; try `pnpm cli simulate-call` in another terminal";
  log.info(`all three apps answering after ${seconds} s${next}; Ctrl-C stops everything`);
}
