import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { type FaultProxy, startFaultProxy } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

const USER = "operator";
const PASSWORD = "metrics-test-password";
let stack: Stack;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let redis: FaultProxy;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  const redisUrl = new URL(stack.env.REDIS_URL as string);
  // The dashboard reaches Redis through a proxy the test can cut.
  redis = await startFaultProxy(Number(redisUrl.port || 6379), redisUrl.hostname);
  redisUrl.port = String(redis.port);
  const env = { ...stack.env, REDIS_URL: redisUrl.href, DASHBOARD_PORT: "0", DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD };
  dashboard = await startDashboard(
    parseEnv(dashboardSettings, env),
    createLogger({ name: "dashboard", level: "silent", format: "json" }),
  );
});
afterAll(async () => {
  redis?.setMode("pass");
  await dashboard?.close();
  await redis?.close();
  await stack?.close();
});

const get = (path: string, login = true, method = "GET") =>
  fetch(`http://127.0.0.1:${dashboard.port}${path}`, {
    method,
    headers: login ? { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` } : {},
    signal: AbortSignal.timeout(20_000),
  });
const series = async () => (await (await get("/metrics", false)).text()).split("\n");

describe("the dashboard's request metrics (what AnuraHttp5xx reads for the dashboard)", () => {
  it("counts every answer by route pattern and status, 5xx included", async () => {
    expect((await get("/")).status).toBe(200);
    expect((await get("/", false)).status).toBe(401);
    // Redis down while retrying a download: the dashboard answers 500, which must be counted.
    redis.setMode("refuse");
    expect((await get("/calls/metrics-1/retry-recording", true, "POST")).status).toBe(500);
    redis.setMode("pass");
    const lines = await series();
    expect(lines).toContain('anura_http_requests_total{route="/",status="200"} 1');
    expect(lines).toContain('anura_http_requests_total{route="/calls/:cdrid/retry-recording",status="500"} 1');
    expect(lines).toContain('anura_http_requests_total{route="unmatched",status="401"} 1');
  });
});
