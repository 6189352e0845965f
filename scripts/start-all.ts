// `pnpm start`: the whole system on one machine — migrations, a development S3 when S3_ENDPOINT
// is unset, then the ingester, the worker and the dashboard as child processes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { databaseEnv, parseEnv, s3Env } from "@anura/config";
import { migrateDatabase } from "@anura/db";
import { startEmbeddedS3 } from "@anura/dev-s3";

const { DATABASE_URL } = parseEnv(databaseEnv);
const s3 = parseEnv(s3Env);
const childEnv: NodeJS.ProcessEnv = { ...process.env };

await migrateDatabase(DATABASE_URL);
console.log("start: database migrated");

let closeS3 = async () => {};
if (!s3.S3_ENDPOINT) {
  const directory = resolve(".data/s3");
  mkdirSync(directory, { recursive: true });
  const embedded = await startEmbeddedS3({ directory, port: Number(process.env.DEV_S3_PORT ?? 9000) });
  closeS3 = embedded.close;
  Object.assign(childEnv, {
    S3_ENDPOINT: embedded.endpoint,
    S3_ACCESS_KEY: embedded.accessKey,
    S3_SECRET_KEY: embedded.secretKey,
  });
  console.warn(
    `\n  !!! S3_ENDPOINT is unset: using an EMBEDDED DEVELOPMENT S3 at ${embedded.endpoint} (data in ${directory}).\n` +
      "  !!! Not for production: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY to your MinIO.\n",
  );
}

const apps = ["ingester", "worker", "dashboard"];
const children = new Map<string, ChildProcess>();
let stopping = false;

for (const app of apps) {
  const child = spawn(process.execPath, ["--env-file-if-exists=.env", `apps/${app}/src/main.ts`], {
    env: childEnv,
    stdio: "inherit",
  });
  children.set(app, child);
  child.on("exit", (code, signal) => {
    children.delete(app);
    if (!stopping) {
      console.error(`start: ${app} exited (${signal ?? code}); stopping the others`);
      void stop(1);
    } else if (children.size === 0) {
      void closeS3().finally(() => process.exit(exitCode));
    }
  });
}

let exitCode = 0;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of children.values()) child.kill("SIGTERM");
  if (children.size === 0) await closeS3().finally(() => process.exit(exitCode));
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));
