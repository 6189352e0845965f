import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, testEnv, waitFor } from "@anura/testing";

const RULES_DIR = resolve(import.meta.dirname, "../../deploy/prometheus");
const PROMETHEUS = testEnv.PROMETHEUS_PATH;

export interface Targets {
  ingester: number;
  /** One port per worker process: they go into workers.yml, as a deployment lists its workers. */
  worker: number | number[];
  dashboard: number;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
}

/**
 * A real Prometheus on loopback, running the shipped prometheus.yml and alerts.yml with only the
 * targets moved to this test's ports and the intervals cut to one second.
 */
export async function startPrometheus(targets: Targets) {
  const dir = await mkdtemp(join(tmpdir(), "anura-prometheus-"));
  const shipped = await readFile(join(RULES_DIR, "prometheus.yml"), "utf8");
  const config = shipped
    .replace(/(scrape|evaluation)_interval: \d+s/g, "$1_interval: 1s")
    .replace("- alerts.yml", `- ${join(RULES_DIR, "alerts.yml")}`)
    .replace('"ingester:8001"', `"127.0.0.1:${targets.ingester}"`)
    .replace('"dashboard:8002"', `"127.0.0.1:${targets.dashboard}"`);
  await writeFile(join(dir, "prometheus.yml"), config);
  const writeWorkers = (ports: number[]) =>
    writeFile(join(dir, "workers.yml"), `- targets: [${ports.map((port) => `"127.0.0.1:${port}"`).join(", ")}]\n`);
  await writeWorkers([targets.worker].flat());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  await waitFor(async () => (await fetch(`${base}/-/ready`)).ok, { what: "prometheus ready", timeoutMs: 30_000 }).catch(
    (error: Error) => {
      child.kill("SIGKILL");
      throw new Error(`${error.message}; prometheus said:\n${output}`);
    },
  );

  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${base}/api/v1/${path}`)).json()) as { status: string; data: T };
    if (body.status !== "success") throw new Error(`prometheus /api/v1/${path}: ${JSON.stringify(body)}`);
    return body.data;
  };

  return {
    base,
    config,
    output: () => output,
    /** The value of an instant query with one result, or 0 when it has none. */
    query: async (promql: string) => {
      const data = await api<{ result: Array<{ value: [number, string] }> }>(`query?query=${encodeURIComponent(promql)}`);
      return Number(data.result[0]?.value[1] ?? 0);
    },
    /** Rewrite workers.yml, as a deployment does when it adds or removes a worker. */
    setWorkers: writeWorkers,
    alerts: async () => (await api<{ alerts: PrometheusAlert[] }>("alerts")).alerts,
    targets: async () =>
      (await api<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>("targets"))
        .activeTargets,
    async close() {
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
