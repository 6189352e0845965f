// `pnpm test:containers`: the docker-compose path, run for real (README, "Running with Docker").
// Starts a Docker engine if none runs, builds the base images and then the image from the Dockerfile,
// and runs stack-checks.ts against one compose project, which it removes afterwards with its volumes.
// Ends with "N passed, N failed".
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { composeProject, ensureDockerd, mustRun } from "./docker.ts";
import { type Context, runStackChecks, type Secrets } from "./stack-checks.ts";

process.chdir(resolve(import.meta.dirname, "../.."));
const started = Date.now();
const say = (line: string) => console.log(`[containers ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const results: { name: string; error?: string }[] = [];
const check: Context["check"] = async (name, body) => {
  try {
    await body();
    results.push({ name });
    say(`✓ ${name}`);
    return true;
  } catch (error) {
    results.push({ name, error: (error as Error).message });
    say(`✗ ${name}\n${(error as Error).message}`);
    return false;
  }
};

const secrets: Secrets = { postgres: "pgsuper4test", app: "pgapp4test", dashboardUser: "admin", dashboard: "dash4testpassword" };
const workDir = mkdtempSync(join(tmpdir(), "anura-containers-"));
const envFile = join(workDir, ".env");
let stack: ReturnType<typeof composeProject> | undefined;
mkdirSync("test-output/containers", { recursive: true });

let dockerd: Awaited<ReturnType<typeof ensureDockerd>> = { startedHere: false, stop: async () => {} };
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    if (stack) {
      say("removing the project's containers, networks and volumes");
      await stack.removeAll().catch((error: Error) => say(`docker-compose down failed: ${error.message}`));
    }
    rmSync(workDir, { recursive: true, force: true });
    await dockerd.stop();
  })());
// Interrupted, it still removes what it created (and stops a dockerd it started).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(1)));
}
try {
  const engine = await check("a Docker engine answers (dockerd is started, and stopped at the end, if none runs)", async () => {
    dockerd = await ensureDockerd("test-output/containers/dockerd.log");
    say(dockerd.startedHere ? "started dockerd" : "using the Docker engine already running");
  });
  let bases = "";
  const built =
    engine &&
    (await check(
      "the base images build from Debian's packages and the npm registry (reused while their inputs are unchanged)",
      async () => {
        bases = await mustRun("scripts/containers/build-base-images.sh", [], { timeoutMs: 20 * 60_000 });
      },
    ));
  if (built) {
    writeFileSync(envFile, testEnv(bases));
    const env = { ...process.env, ANURA_ENV_FILE: envFile, COMPOSE_PROFILES: "demo,monitoring" };
    stack = composeProject(`anura-ctest-${process.pid}`, ["docker-compose.yml", "e2e/containers/compose.test.yml"], envFile, env);
    await runStackChecks(stack, { check, say, secrets });
  }
} finally {
  await cleanUp();
}
const failed = results.filter((result) => result.error).length;
for (const result of results) console.log(`${result.error ? "✗" : "✓"} ${result.name}`);
console.log(`the container test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

/** A user's .env: .env.example with its Docker section filled in (a later line wins), plus the base images. */
function testEnv(bases: string) {
  return [
    readFileSync(".env.example", "utf8"),
    bases.trim(),
    `POSTGRES_PASSWORD=${secrets.postgres}`,
    `POSTGRES_APP_PASSWORD=${secrets.app}`,
    // The MinIO stand-in has one fixed key.
    "S3_ACCESS_KEY=S3RVER",
    "S3_SECRET_KEY=S3RVER",
    `DASHBOARD_USER=${secrets.dashboardUser}`,
    `DASHBOARD_PASSWORD=${secrets.dashboard}`,
    "RECORDING_ALLOWED_HOSTS=sample-recordings:9002",
    "ALERT_WEBHOOK_URL=http://alert-receiver:9099/alerts",
    "COMPOSE_PROFILES=demo,monitoring",
    // Every published port on loopback, on a port Docker picks: the test reaches containers only there.
    ...["INGESTER", "DASHBOARD", "MINIO_CONSOLE", "PROMETHEUS", "ALERTMANAGER"].map((name) => `${name}_PUBLISH=127.0.0.1:`),
    "",
  ].join("\n");
}
