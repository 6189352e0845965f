import { closeAll, type FaultProxy, startFaultProxy, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppProcess, ProcessStack } from "../support/index.ts";
import { writeCheckRow } from "./check-row.ts";
import { scenarioStack } from "./end-state.ts";

type Dependency = "postgres" | "redis" | "s3";
type App = "worker" | "ingester" | "dashboard";
const CASES: Array<[App, Dependency]> = [
  ["worker", "s3"],
  ["worker", "postgres"],
  ["worker", "redis"],
  ["ingester", "postgres"],
  ["ingester", "redis"],
  ["dashboard", "postgres"],
  ["dashboard", "redis"],
];
const URL_VAR = { postgres: "DATABASE_URL", redis: "REDIS_URL", s3: "S3_ENDPOINT" } as const;

let stack: ProcessStack;
let key: string;
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  ({ stack, key } = await scenarioStack("11-dependency-down-at-start"));
});
afterAll(() => closeAll(proxy, stack));

/** The messages of the app's warning and error lines. */
function warningsOf(app: AppProcess): string[] {
  return app
    .logs()
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: number; msg: string }];
      } catch {
        return []; // not a log line (or one still being written)
      }
    })
    .filter((line) => line.level >= 40)
    .map((line) => line.msg);
}

/** The app's /readyz: status and body. */
async function readyz(app: AppProcess) {
  const res = await fetch(`${app.baseUrl}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { ready: boolean; error?: string; dependencies: Record<string, { up: boolean }> },
  };
}

/** The app's /metrics as Prometheus scrapes it: status, and the worker's anura_worker_ready gauge. */
async function scrape(app: AppProcess) {
  const res = await fetch(`${app.baseUrl}/metrics`);
  const text = await res.text();
  return { status: res.status, workerReady: Number(/^anura_worker_ready (\d)$/m.exec(text)?.[1]) };
}

it.each(CASES)(
  "the %s starts with %s down, reports it, and becomes ready by itself when it returns",
  async (name, dependency) => {
    const url = new URL(stack.env[URL_VAR[dependency]] as string);
    proxy = await startFaultProxy(Number(url.port), url.hostname);
    proxy.setMode("refuse");
    url.port = String(proxy.port);
    const overrides = { [URL_VAR[dependency]]: url.toString().replace(/\/$/, "") };
    const start = { worker: stack.startWorker, ingester: stack.startIngester, dashboard: stack.startDashboard }[name];
    const app = await start(overrides);

    await waitFor(async () => (await readyz(app)).status === 503, { what: `${name} not ready`, timeoutMs: 20_000 });
    const down = await readyz(app);
    expect(down.body.ready).toBe(false);
    expect(down.body.dependencies[dependency]?.up).toBe(false);
    expect(down.body.error).toContain(`${dependency} unreachable`);
    // Scrapes still answer (gauges keep their last values), so the alerts that say why can fire.
    const downScrape = await scrape(app);
    expect(downScrape.status).toBe(200);
    if (name === "worker") expect(downScrape.workerReady).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // several retries while it stays down

    const returned = Date.now();
    proxy.setMode("pass");
    await waitFor(async () => (await readyz(app)).status === 200, { what: `${name} ready again`, timeoutMs: 20_000 });
    const seconds = (Date.now() - returned) / 1000;
    if (name === "worker") expect((await scrape(app)).workerReady).toBe(1);

    if (name === "ingester") {
      // Ready means working: a queue set up while Redis was down must take events now it is back.
      const event = { hooktrigger: "START", cdrid: `down-${dependency}`, calling: "+5491167950079" };
      const res = await fetch(`${app.baseUrl}/webhook/anura/`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify(event),
      });
      expect(res.status).toBe(202);
      expect(((await res.json()) as { accepted_via: string }).accepted_via).toBe("queue");
    }
    const mine = (msg: string) => app.logLines(msg).filter((line) => line.dependency === dependency);
    // The app's stdout pipe and its HTTP answer are separate streams: the line may reach us just after /readyz.
    await waitFor(async () => mine("dependency reachable").length > 0, {
      what: `${name} logs ${dependency} reachable`,
      timeoutMs: 5000,
    });
    expect(mine("dependency unreachable: retrying with backoff until it answers")).toHaveLength(1);
    expect(mine("dependency reachable")).toHaveLength(1);
    // Nothing else repeats per failed attempt either: no warning or error is logged more than twice.
    const counts = new Map<string, number>();
    for (const msg of warningsOf(app)) counts.set(msg, (counts.get(msg) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 2).map(([msg, n]) => `${n} × ${msg}`)).toEqual([]);
    expect(app.logs()).not.toMatch(/ECONNREFUSED.*\n.*at /); // no uncaught stack trace
    const stillRunning = await Promise.race([app.exited.then(() => false), new Promise((r) => setTimeout(r, 100, true))]);
    expect(stillRunning).toBe(true);

    await writeCheckRow({
      scenario: `11-start-${name}-${dependency}-down`,
      check: `${name} starts with ${dependency} down`,
      result: `503 naming ${dependency}; ready ${seconds.toFixed(1)} s after it returned; 1 log line down, 1 up`,
    });
    app.kill("SIGKILL");
    await app.exited;
    await proxy.close();
    proxy = undefined;
  },
  90_000,
);
