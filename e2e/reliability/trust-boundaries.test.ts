import { afterAll, beforeAll, expect, it } from "vitest";
import { sendFrom } from "../send-from.ts";
import type { ProcessStack } from "../support/index.ts";
import { writeCheckRow } from "./check-row.ts";
import { scenarioStack } from "./end-state.ts";

let stack: ProcessStack;

beforeAll(async () => {
  ({ stack } = await scenarioStack("10-trust-boundaries"));
});
afterAll(() => stack?.close());

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

it("forged X-Forwarded-For headers neither escape the failed-login limit nor open /metrics", async () => {
  const direct = await stack.startIngester({ PUBLIC_RATE_LIMIT_PER_MINUTE: "30" }); // TRUST_PROXY unset
  const behindProxy = await stack.startIngester({ TRUST_PROXY: "1" });
  const guesses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const res = await sendFrom(`${direct.baseUrl}/webhook/anura/`, {
      method: "POST",
      body: "{}",
      headers: { "X-API-Key": `anura_guess_${i}`, "X-Forwarded-For": `198.51.100.${i}` },
    });
    guesses.push(res.status);
  }
  // Behind one proxy, a client that puts a private address before the hop the proxy appends.
  const metrics: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await sendFrom(`${behindProxy.baseUrl}/metrics`, { headers: { "X-Forwarded-For": `10.0.0.1, 203.0.113.${i}` } });
    metrics.push(res.status);
  }
  expect(count(guesses, 403)).toBe(30);
  expect(count(guesses, 429)).toBe(10);
  expect(count(metrics, 403)).toBe(20);
  await writeCheckRow({
    scenario: "10-1-spoofed-client-address",
    check: "60 spoof attempts (X-Forwarded-For)",
    result: `40 failed auths, each with another forged address: ${count(guesses, 403)} × 403 then ${count(guesses, 429)} × 429 (one client); 20 forged private hops to /metrics behind a proxy: ${count(metrics, 403)} × 403`,
  });
}, 180_000);

it("password guessing on the dashboard is locked out after DASHBOARD_LOGIN_ATTEMPTS (10), even the right password", async () => {
  const dashboard = await stack.startDashboard(); // default DASHBOARD_LOGIN_ATTEMPTS
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const guesses: number[] = [];
  for (let i = 0; i < 50; i++) {
    const res = await sendFrom(`${dashboard.baseUrl}/`, { headers: { Authorization: basic(`user${i % 7}`, `guess-${i}`) } });
    guesses.push(res.status);
  }
  const right = await sendFrom(`${dashboard.baseUrl}/`, {
    headers: { Authorization: basic("admin", "reliability-test-password") },
  });
  expect(count(guesses, 401)).toBe(10);
  expect(count(guesses, 429)).toBe(40);
  expect(right.status).toBe(429);
  const lockoutLines = dashboard.logLines("dashboard login locked out after too many failed logins");
  expect(lockoutLines).toHaveLength(1);
  expect(dashboard.logs()).not.toContain("guess-");
  await writeCheckRow({
    scenario: "10-2-dashboard-password-guessing",
    check: "50 password guesses from one address",
    result: `${count(guesses, 401)} × 401, then ${count(guesses, 429) + 1} locked out (429, password not checked, the right one included); ${lockoutLines.length} warning line`,
  });
}, 180_000);
