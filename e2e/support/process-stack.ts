import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { freePort, startTestServices, waitFor } from "@anura/testing";
import { type AppName, appArgs } from "../../scripts/app-process.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const PORT_VAR = { ingester: "PORT", worker: "WORKER_METRICS_PORT", dashboard: "DASHBOARD_PORT" } as const;
// Any answer means it is serving: the dashboard's /readyz is its one page without a login.
const HEALTH_PATH = { ingester: "/webhook/anura/health", worker: "/healthz", dashboard: "/readyz" } as const;

export interface AppProcess {
  name: string;
  pid: number;
  /** The ingester's HTTP port, or the worker's ops (metrics/health) port. */
  port: number;
  baseUrl: string;
  env: Record<string, string>;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once the process has exited and its output is all read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** Its JSON log lines with this `msg` (pino's message field). */
  logLines(msg: string): Array<Record<string, unknown>>;
}

// A child the test process forgets (a crashed test, a killed fork) must not outlive it.
const living = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of living) child.kill("SIGKILL");
});

/** Run one app as a real child process (its compiled `apps/<name>/dist/main.js`) and wait until it answers health checks. */
async function startAppProcess(app: AppName, env: Record<string, string>, label: string = app): Promise<AppProcess> {
  const portVar = PORT_VAR[app];
  const healthPath = HEALTH_PATH[app];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const fullEnv = { LOG_LEVEL: "info", HOST: "127.0.0.1", ...env, [portVar]: String(port) };
    // Only what node needs from our environment: vitest's NODE_OPTIONS and variables must not leak in.
    // Compiled and with production's node flags (the test run compiled them first), so the fault scenarios run the apps as deployed.
    const child = spawn(process.execPath, appArgs(app), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...fullEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    living.add(child);
    let output = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => (output += chunk));
    }
    // "close", not "exit": only then has all of its output been read, so logs() has its last lines.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once("close", (code, signal) => {
        living.delete(child);
        done({ code, signal });
      }),
    );
    let gone = false;
    void exited.then(() => (gone = true));
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => {
          if (gone) throw new Error("exited");
          const res = await fetch(`${baseUrl}${healthPath}`);
          await res.arrayBuffer();
          return true; // any answer (even 503 while Redis is down) means it is serving
        },
        // Module loading alone took 24 s with the machine at load 20: only a hung start-up should fail here.
        { what: `${label} health on ${port}`, timeoutMs: 90_000 },
      );
    } catch (error) {
      if (!gone) child.kill("SIGKILL");
      await exited;
      // freePort() can race with another process taking the port; try a fresh one.
      if (attempt < 3 && output.includes("EADDRINUSE")) continue;
      throw new Error(`${label} did not start (${(error as Error).message}); its output:\n${output}`);
    }
    return {
      name: label,
      pid: child.pid as number,
      port,
      baseUrl,
      env: fullEnv,
      kill: (signal = "SIGTERM") => void child.kill(signal),
      exited,
      logs: () => output,
      logLines: (msg) => parseLines(output).filter((line) => line.msg === msg),
    };
  }
}

function parseLines(output: string): Array<Record<string, unknown>> {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export const startIngesterProcess = (env: Record<string, string>, label?: string) => startAppProcess("ingester", env, label);
export const startWorkerProcess = (env: Record<string, string>, label?: string) => startAppProcess("worker", env, label);
export const startDashboardProcess = (env: Record<string, string>, label?: string) =>
  startAppProcess("dashboard", { DASHBOARD_USER: "admin", DASHBOARD_PASSWORD: "reliability-test-password", ...env }, label);

export interface ProcessStackOptions {
  /** The Redis the apps use (default: the machine's shared one; its own QUEUE_PREFIX isolates the test). */
  redisUrl?: string;
  /** Variables for every app process, over the stack's defaults. */
  env?: Record<string, string>;
  /** Where each process's output is written on close, for reading after a failure. */
  logDir?: string;
}

/**
 * The real apps as child processes on real services: a fresh database, the given Redis, an embedded
 * S3 server in this process (so a test can put a fault-injecting proxy in front of it) and a local
 * recording host. Every process started through it is killed by close(), even after a failed test.
 */
export async function startProcessStack(options: ProcessStackOptions = {}) {
  const services = await startTestServices({ label: "proc", redisUrl: options.redisUrl });
  const env: Record<string, string> = {
    ...services.env,
    RECORDING_RETRY_DELAYS: "0.5,1,2",
    JOB_LOCK_SECONDS: "3",
    SHUTDOWN_TIMEOUT: "15",
    PUBLIC_RATE_LIMIT_PER_MINUTE: "100000",
    ...options.env,
  };
  const processes: AppProcess[] = [];
  const track = (started: AppProcess) => {
    processes.push(started);
    return started;
  };
  const counts = { ingester: 0, worker: 0, dashboard: 0 };

  return {
    env,
    db: services.db,
    sql: services.sql,
    s3: services.s3,
    recordings: services.recordings,
    processes,
    /** Start an ingester (overrides apply to it alone, e.g. a DATABASE_URL through a proxy). */
    startIngester: async (overrides: Record<string, string> = {}) =>
      track(await startIngesterProcess({ ...env, ...overrides }, `ingester-${++counts.ingester}`)),
    startWorker: async (overrides: Record<string, string> = {}) =>
      track(await startWorkerProcess({ ...env, ...overrides }, `worker-${++counts.worker}`)),
    startDashboard: async (overrides: Record<string, string> = {}) =>
      track(await startDashboardProcess({ ...env, ...overrides }, `dashboard-${++counts.dashboard}`)),
    createApiKey: () => services.createApiKey("reliability"),
    createCampaign: services.createCampaign,
    async close() {
      for (const child of processes) child.kill("SIGKILL");
      await Promise.all(processes.map((child) => child.exited));
      const logDir = options.logDir;
      try {
        if (logDir) {
          await mkdir(logDir, { recursive: true });
          await Promise.all(processes.map((child) => writeFile(join(logDir, `${child.name}.log`), child.logs())));
        }
      } finally {
        await services.close();
      }
    },
  };
}

export type ProcessStack = Awaited<ReturnType<typeof startProcessStack>>;
