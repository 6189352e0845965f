import { PassThrough } from "node:stream";
import { taskIdFor } from "@anura/call-domain";
import { AlarmMonitor } from "@anura/dashboard-app";
import { addSourceActivity, createApiKey } from "@anura/db";
import { createLogger } from "@anura/logger";
import { closeAll } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_LOGIN, type TestDashboard } from "../support/index.ts";

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const LOGIN = TEST_LOGIN;

let stack: Stack;
let dashboard: TestDashboard;
let base: string;
const logs: string[] = [];
let usual: Awaited<ReturnType<typeof createApiKey>>;
let newcomer: Awaited<ReturnType<typeof createApiKey>>;

const hourOf = (ms: number) => new Date(ms - (ms % HOUR));
const metrics = () => fetch(`${base}/metrics`).then((res) => res.text());
const overview = () =>
  fetch(`${base}/`, {
    headers: { authorization: `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString("base64")}` },
  }).then((res) => res.text());
const logLines = (msg: string) =>
  logs
    .join("")
    .split("\n")
    .filter((line) => line.includes(`"msg":"${msg}`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  stack = await startStack();
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  dashboard = await startTestDashboard(
    stack.env,
    {},
    createLogger({ name: "dashboard", level: "info", format: "json", destination: logStream }),
  );
  base = `http://127.0.0.1:${dashboard.port}`;
  usual = await createApiKey(stack.db, "anura-ventas");
  newcomer = await createApiKey(stack.db, "anura-nueva");
  // A week ago, this hour and the one before were busy for `usual`; nothing since.
  const weekAgo = Date.now() - WEEK;
  await addSourceActivity(stack.db, [
    { apiKeyId: usual.id, hour: hourOf(weekAgo - HOUR), events: 60, lastEventAt: new Date(weekAgo - HOUR) },
    { apiKeyId: usual.id, hour: hourOf(weekAgo), events: 60, lastEventAt: new Date(weekAgo) },
  ]);
});
afterAll(() => closeAll(dashboard, stack));

describe("silence alarm", () => {
  it("a key that usually sends at this hour of the week and sent nothing is silent: gauge 1, banner, one log line", async () => {
    await dashboard.alarms.evaluate();
    const text = await metrics();
    expect(text).toContain(`anura_source_silent{key_prefix="${usual.prefix}"} 1`);
    const page = await overview();
    expect(page).toContain("Anura stopped sending");
    expect(page).toContain(usual.prefix);
    await dashboard.alarms.evaluate();
    expect(logLines("source went silent")).toEqual([
      expect.objectContaining({ keyPrefix: usual.prefix, keyName: "anura-ventas" }),
    ]);
  });

  it("a key with no history never alarms", async () => {
    expect(await metrics()).toContain(`anura_source_silent{key_prefix="${newcomer.prefix}"} 0`);
    expect(await overview()).not.toContain(newcomer.prefix);
    // Whatever the hour of the week: clocks across the past week, every 7 hours.
    let clock = new Date();
    const monitor = monitorAt(() => clock);
    for (let hour = 0; hour < 24 * 7; hour += 7) {
      clock = new Date(Date.now() - hour * HOUR);
      const verdict = (await monitor.evaluate()).sources.find((source) => source.apiKeyId === newcomer.id);
      expect(verdict?.silent).toBe(false);
    }
  });

  it("a silent key that sends again goes back to 0 and the banner goes away", async () => {
    const res = await stack.post({ hooktrigger: "START", cdrid: "silence-1" }, { "X-API-Key": usual.plainKey });
    expect(res.status).toBe(202);
    await stack.ingester.flushActivity();
    await dashboard.alarms.evaluate();
    expect(await metrics()).toContain(`anura_source_silent{key_prefix="${usual.prefix}"} 0`);
    expect(await overview()).not.toContain("Anura stopped sending");
    expect(logLines("source sending again")).toHaveLength(1);
  });

  it("with an injected clock, silence begins SILENCE_ALERT_AFTER after the last event and is logged once", async () => {
    const key = await createApiKey(stack.db, "anura-soporte");
    // Half past an hour a month ahead: no other key's history is near, and the windows fall the same every run.
    const start = hourOf(Date.now() + 30 * 24 * HOUR).getTime() + 30 * 60_000;
    const lastEvent = start - 20 * 60_000;
    await addSourceActivity(stack.db, [
      { apiKeyId: key.id, hour: hourOf(start - WEEK), events: 40, lastEventAt: new Date(start - WEEK) },
      { apiKeyId: key.id, hour: hourOf(start - WEEK - HOUR), events: 40, lastEventAt: new Date(start - WEEK - HOUR) },
      { apiKeyId: key.id, hour: hourOf(start - WEEK + HOUR), events: 40, lastEventAt: new Date(start - WEEK + HOUR) },
      { apiKeyId: key.id, hour: hourOf(lastEvent), events: 1, lastEventAt: new Date(lastEvent) },
    ]);
    const seen: string[] = [];
    let clock = new Date(start);
    const monitor = monitorAt(() => clock, seen);
    const silentAt = async (ms: number) => {
      clock = new Date(ms);
      return (await monitor.evaluate()).sources.find((source) => source.apiKeyId === key.id)?.silent;
    };
    expect(await silentAt(start)).toBe(false); // 20 minutes quiet
    expect(await silentAt(start + 9 * 60_000)).toBe(false); // 29 minutes
    expect(await silentAt(start + 11 * 60_000)).toBe(true); // 31 minutes
    expect(await silentAt(start + 40 * 60_000)).toBe(true);
    expect(seen.filter((msg) => msg.startsWith("source went silent"))).toHaveLength(1);
  });
});

describe("transcription stall", () => {
  it("counts only our tasks left pending past TRANSCRIPTION_STALL_AFTER, on /metrics and the overview", async () => {
    // Ours (a call points at it), an hour old; ours, just created; someone else's, an hour old.
    const [old, fresh, foreign] = [taskIdFor("stall-old"), taskIdFor("stall-fresh"), taskIdFor("not-ours")];
    await stack.sql`insert into anura_calls (cdrid, state, task_uuid) values
      ('stall-old', '{}'::jsonb, ${old}), ('stall-fresh', '{}'::jsonb, ${fresh})`;
    await stack.sql`insert into tasks (uuid, status, created_at) values
      (${old}, 'pending', localtimestamp - interval '1 hour'),
      (${fresh}, 'pending', localtimestamp),
      (${foreign}, 'pending', localtimestamp - interval '1 hour')`;
    await dashboard.alarms.evaluate();
    expect(await metrics()).toContain("anura_transcription_stalled_tasks 1");
    expect(await metrics()).toMatch(/anura_transcription_oldest_pending_seconds 36\d\d/);
    expect(await overview()).toMatch(/Our tasks pending longer than 30 min<\/th><td class="n problem">1</);

    // AuditorIA's workers pick it up: the stall clears.
    await stack.sql`update tasks set status = 'processing' where uuid = ${old}`;
    await dashboard.alarms.evaluate();
    expect(await metrics()).toContain("anura_transcription_stalled_tasks 0");
    expect(await overview()).toMatch(/Our tasks pending longer than 30 min<\/th><td class="n">0</);
  });
});

/** A monitor on the stack's database with its own clock; `seen` collects its log messages. */
function monitorAt(now: () => Date, seen: string[] = []) {
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) =>
    seen.push(
      ...chunk
        .toString()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).msg),
    ),
  );
  const log = createLogger({ name: "alarms-test", level: "info", format: "json", destination: stream });
  return new AlarmMonitor({ db: stack.db, log, silenceAfterSeconds: 1800, stallAfterSeconds: 1800, now });
}
