import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzRequest, generateRequests } from "./fuzz-bodies.ts";
import { dashboardLogins, dashboardRequests, helperRequests, type SurfaceRequest } from "./fuzz-surfaces.ts";
import { sendFrom } from "./send-from.ts";
import { type Stack, startStack } from "./support/index.ts";

const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
/** Requests per other surface (helpers with and without a key, dashboard with and without a login). */
const SURFACE_COUNT = Number(process.env.FUZZ_SURFACE_REQUESTS ?? Math.ceil(COUNT / 5));
const LOGIN = { user: "fuzz", password: "fuzz-password-123" };

let stack: Stack;
let key: string;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    env: { WEBHOOK_RATE_LIMIT_PER_MINUTE: "10000000", PUBLIC_RATE_LIMIT_PER_MINUTE: "10000000" },
  });
  key = await stack.createApiKey();
  await stack.createCampaign(1);
  dashboard = await startDashboard(
    parseEnv(dashboardSettings, {
      ...stack.env,
      DASHBOARD_PORT: "0",
      DASHBOARD_USER: LOGIN.user,
      DASHBOARD_PASSWORD: LOGIN.password,
      DASHBOARD_LOGIN_ATTEMPTS: "1000000",
    }),
    createLogger({ name: "dashboard", level: "silent" }),
  );
  process.on("unhandledRejection", onRejection);
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await dashboard?.close();
  await stack?.close();
});

async function send(request: FuzzRequest) {
  const res = await fetch(`${stack.baseUrl}/webhook/anura/`, {
    method: "POST",
    body: request.body,
    headers: { "X-API-Key": key, ...request.headers },
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe(`fuzzing the webhook with ${COUNT} malformed requests (seed ${SEED})`, () => {
  it("never answers 5xx, never crashes, explains every rejection, and gives its memory back", async () => {
    await Promise.all([...generateRequests(300, SEED + 1)].map(send)); // warm up before the baseline
    const heapBefore = heapAfterGc();
    const requests = generateRequests(COUNT, SEED);

    const byStatus = new Map<number, number>();
    const serverErrors: string[] = [];
    const unexplained: string[] = [];
    const worker = async () => {
      for (let step = requests.next(); !step.done; step = requests.next()) {
        const request = step.value;
        const { status, text } = await send(request);
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        if (status >= 500) serverErrors.push(`${request.kind}: ${status} ${text.slice(0, 200)}`);
        else if (status >= 400 && !(JSON.parse(text) as { error?: string }).error) unexplained.push(`${request.kind}: ${status}`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));

    const heapGrowthMb = (heapAfterGc() - heapBefore) / 1e6;
    const fourXx = [...byStatus].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `fuzz: ${COUNT} requests, ${fourXx} 4xx, ${serverErrors.length} 5xx, statuses ${JSON.stringify(Object.fromEntries(byStatus))}, heap growth ${heapGrowthMb.toFixed(1)} MB`,
    );

    expect(serverErrors).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(rejections).toEqual([]);
    expect(fourXx).toBeGreaterThan(COUNT * 0.8);
    expect(heapGrowthMb).toBeLessThan(30);
    const health = await fetch(`${stack.baseUrl}/webhook/anura/health`);
    expect(health.status).toBe(200);
  }, 300_000); // 10,000 requests on a shared, loaded machine: a bound on the run, not a latency target
});

/** Send every request (32 at a time); 5xx answers, and 4xx answers without a reason, are returned. */
async function fuzzSurface(baseUrl: string, requests: Generator<SurfaceRequest>, reasonOf: (text: string) => string) {
  const byStatus = new Map<number, number>();
  const serverErrors: string[] = [];
  const unexplained: string[] = [];
  const worker = async () => {
    for (let step = requests.next(); !step.done; step = requests.next()) {
      const request = step.value;
      const res = await sendFrom(`${baseUrl}${request.path}`, request).catch((error: NodeJS.ErrnoException) => {
        // A body over 64 KiB may be answered and cut off unread: the client then sees a reset, as intended.
        if ((request.body?.length ?? 0) > 65_536 && ["ECONNRESET", "EPIPE"].includes(error.code ?? "")) {
          return { status: 0, text: "reset" };
        }
        throw new Error(`${request.kind} ${request.method} ${request.path.slice(0, 120)}: ${error.message}`);
      });
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      const where = `${request.kind} ${request.method} ${request.path.slice(0, 120)}`;
      if (res.status >= 500) serverErrors.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (res.status >= 400 && request.method !== "HEAD" && !reasonOf(res.text)) unexplained.push(`${where}: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { byStatus: Object.fromEntries(byStatus), serverErrors, unexplained };
}

const jsonError = (text: string) => {
  try {
    return String((JSON.parse(text) as { error?: unknown }).error ?? "");
  } catch {
    return "";
  }
};

describe(`fuzzing the other surfaces with ${SURFACE_COUNT} requests each (seed ${SEED})`, () => {
  it.each([
    ["with the API key", true],
    ["without a key", false],
  ])(
    "the /anura/* helpers %s: no 5xx, every rejection explained",
    async (label, withKey) => {
      const result = await fuzzSurface(stack.baseUrl, helperRequests(SURFACE_COUNT, SEED + 2, withKey ? key : null), jsonError);
      console.log(`fuzz /anura/* ${label}: statuses ${JSON.stringify(result.byStatus)}`);
      expect(result.serverErrors).toEqual([]);
      expect(result.unexplained).toEqual([]);
      expect(rejections).toEqual([]);
    },
    300_000,
  );

  it("the dashboard, signed in: no 5xx, every rejection explained", async () => {
    const authorization = `Basic ${Buffer.from(`${LOGIN.user}:${LOGIN.password}`).toString("base64")}`;
    const base = `http://127.0.0.1:${dashboard.port}`;
    const result = await fuzzSurface(base, dashboardRequests(SURFACE_COUNT, SEED + 3, authorization), (text) => text.trim());
    console.log(`fuzz dashboard signed in: statuses ${JSON.stringify(result.byStatus)}`);
    expect(result.serverErrors).toEqual([]);
    expect(result.unexplained).toEqual([]);
    expect(rejections).toEqual([]);
    expect((await sendFrom(`${base}/`, { headers: { Authorization: authorization } })).status).toBe(200);
  }, 300_000);

  it("the dashboard, not signed in: only 401 (or 429 once locked out), and the ingester still healthy", async () => {
    const base = `http://127.0.0.1:${dashboard.port}`;
    const result = await fuzzSurface(base, dashboardLogins(SURFACE_COUNT, SEED + 4), (text) => text.trim());
    console.log(`fuzz dashboard not signed in: statuses ${JSON.stringify(result.byStatus)}`);
    expect(result.serverErrors).toEqual([]);
    expect(Object.keys(result.byStatus).filter((status) => !["401", "403", "429"].includes(status))).toEqual([]);
    expect(rejections).toEqual([]);
    expect((await fetch(`${stack.baseUrl}/webhook/anura/health`)).status).toBe(200);
  }, 300_000);
});
