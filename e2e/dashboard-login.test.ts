import { PassThrough } from "node:stream";
import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { closeAll } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendFrom } from "./send-from.ts";
import { metricValue, type Stack, startStack } from "./support/index.ts";

const USER = "operator";
const PASSWORD = "correct-horse-battery";
const GUESS = "Guess-Password-";
let stack: Stack;
let direct: Awaited<ReturnType<typeof startDashboard>>;
let behindProxy: Awaited<ReturnType<typeof startDashboard>>;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const start = (extra: Record<string, string>) =>
    startDashboard(
      parseEnv(dashboardSettings, {
        ...stack.env,
        DASHBOARD_PORT: "0",
        DASHBOARD_USER: USER,
        DASHBOARD_PASSWORD: PASSWORD,
        DASHBOARD_LOGIN_ATTEMPTS: "3",
        ...extra,
      }),
      createLogger({ name: "dashboard", level: "info", format: "json", destination: logStream }),
    );
  direct = await start({});
  behindProxy = await start({ TRUST_PROXY: "1" });
});
afterAll(() => closeAll(direct, behindProxy, stack));

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const login = (port: number, user: string, password: string, from?: string, forwardedFor?: string) =>
  sendFrom(`http://127.0.0.1:${port}/admin/queues`, {
    from,
    headers: { Authorization: basic(user, password), ...(forwardedFor ? { "X-Forwarded-For": forwardedFor } : {}) },
  });
const lockoutLines = () =>
  logs
    .join("")
    .split("\n")
    .filter((line) => line.includes("dashboard login locked out"));

describe("dashboard login guessing", () => {
  it("locks out an address after DASHBOARD_LOGIN_ATTEMPTS failures, without checking even the right password", async () => {
    const statuses = [];
    for (const user of ["a", "b", "c"]) statuses.push((await login(direct.port, user, GUESS, "127.0.0.20")).status);
    expect(statuses).toEqual([401, 401, 401]);
    const locked = await login(direct.port, USER, PASSWORD, "127.0.0.20");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(locked.headers["retry-after"])).toBeLessThanOrEqual(900);
    expect(locked.text).toMatch(/too many failed logins.*try again in \d+ s/);
    expect((await login(direct.port, USER, PASSWORD, "127.0.0.21")).status).toBe(200); // another address is untouched
  });

  it("locks out a user name guessed from many addresses", async () => {
    const target = "admin-target";
    for (const from of ["127.0.0.30", "127.0.0.31", "127.0.0.32"]) {
      expect((await login(direct.port, target, `${GUESS}${from}`, from)).status).toBe(401);
    }
    expect((await login(direct.port, target, GUESS, "127.0.0.33")).status).toBe(429);
  });

  it("with TRUST_PROXY unset, a new X-Forwarded-For on each guess does not make a new client", async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await login(direct.port, `user-${i}`, `${GUESS}${i}`, "127.0.0.40", `198.51.100.${i}`)).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });

  it("behind a trusted proxy, each forwarded client has its own count", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login(behindProxy.port, `other-${i}`, GUESS, undefined, `203.0.113.${i}`)).status).toBe(401);
    }
    expect((await login(behindProxy.port, USER, PASSWORD, undefined, "203.0.113.99")).status).toBe(200);
  });

  it("logs one warning per lockout, never a password, and counts lockouts in /metrics", async () => {
    expect(lockoutLines()).toHaveLength(3); // an address, a user name, the spoofing address
    const text = logs.join("");
    expect(text).not.toContain(GUESS);
    expect(text).not.toContain(PASSWORD);
    const metrics = await sendFrom(`http://127.0.0.1:${direct.port}/metrics`);
    expect(metricValue(metrics.text, `anura_dashboard_login_lockouts_total{by="address"}`)).toBe(2);
    expect(metricValue(metrics.text, `anura_dashboard_login_lockouts_total{by="user"}`)).toBe(1);
    expect(metricValue(metrics.text, `anura_dashboard_login_locked_out_total`)).toBe(19);
  });
});

describe("dashboard /metrics", () => {
  it("is served to loopback without a login, and X-Forwarded-For cannot change that when no proxy is trusted", async () => {
    const res = await sendFrom(`http://127.0.0.1:${direct.port}/metrics`, { headers: { "X-Forwarded-For": "8.8.8.8" } });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/process_cpu_seconds_total/);
  });

  it("behind a trusted proxy, judges the forwarded client: public is 403, private is 200", async () => {
    const via = (forwardedFor: string) =>
      sendFrom(`http://127.0.0.1:${behindProxy.port}/metrics`, { headers: { "X-Forwarded-For": forwardedFor } });
    const outside = await via("8.8.8.8");
    expect(outside.status).toBe(403);
    expect(outside.text).toMatch(/loopback and private networks/);
    expect((await via("10.0.0.1")).status).toBe(200);
  });
});
