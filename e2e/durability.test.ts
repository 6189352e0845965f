import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { taskIdFor } from "@anura/call-domain";
import { findTask, inboxSize } from "@anura/db";
import { closeAll, generateMp3, seedEndEvent, startFaultProxy, startRedisServer, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let key: string;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let postgresProxy: Awaited<ReturnType<typeof startFaultProxy>>;

beforeAll(async () => {
  // Append-only, as in docker-compose: a Redis restart must not drop queued jobs.
  redis = await startRedisServer({ appendOnly: true, dir: await mkdtemp(join(tmpdir(), "anura-redis-")) });
  postgresProxy = await startFaultProxy(5432);
  stack = await startStack({
    env: { REDIS_URL: redis.url, API_KEY_CACHE_SECONDS: "300" },
    // Only the ingester reaches Postgres through the proxy, so the test can cut it alone.
    ingesterEnvOverrides: (env) => {
      const url = new URL(env.DATABASE_URL as string);
      url.port = String(postgresProxy.port);
      return { DATABASE_URL: url.toString() };
    },
  });
  key = await stack.createApiKey();
  await stack.createCampaign(1);
});
afterAll(() => closeAll(stack, redis, postgresProxy));

const health = () =>
  fetch(`${stack.baseUrl}/webhook/anura/health`).then(async (r) => ({ status: r.status, body: await r.json() }));

describe("an acknowledged event is never lost", () => {
  it("while Redis is down the event goes to the Postgres inbox, is acknowledged, and is processed once Redis is back", async () => {
    expect(
      (
        await stack.post(
          { hooktrigger: "START", cdrid: "inbox-1", accounttags: "campaign_1", queueagentextension: "300" },
          { "X-API-Key": key },
        )
      ).status,
    ).toBe(202);
    await waitFor(async () => (await stack.sql`select 1 from call_logs where call_id = 'inbox-1'`).length > 0, {
      what: "START processed",
    });

    await redis.stop();
    expect(await health()).toEqual({
      status: 503,
      body: { status: "degraded", service: "AuditorIA Anura Integration", webhook_ready: false },
    });

    const url = stack.recordings.serve("/rec/inbox-1.mp3", generateMp3(2));
    const res = await stack.post(seedEndEvent(url, { cdrid: "inbox-1" }), { "X-API-Key": key });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ success: true, accepted_via: "inbox", queued: false, task_id: taskIdFor("inbox-1") });
    expect(await inboxSize(stack.db)).toBe(1);

    await redis.start();
    const task = await waitFor(() => findTask(stack.db, taskIdFor("inbox-1")), {
      what: "task after Redis returned",
      timeoutMs: 30_000,
    });
    expect(task.status).toBe("pending");
    expect(await inboxSize(stack.db)).toBe(0);
    expect((await health()).status).toBe(200);
  });

  it("only when Redis and Postgres are both unreachable does it refuse, with 503 and Retry-After", async () => {
    await redis.stop();
    postgresProxy.setMode("refuse");
    try {
      const res = await stack.post(seedEndEvent("https://r.example/x.mp3", { cdrid: "nowhere-1" }), { "X-API-Key": key });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("10");
      expect(res.body.error).toMatch(/NOT accepted/);
    } finally {
      postgresProxy.setMode("pass");
      await redis.start();
    }
    await waitFor(async () => (await health()).status === 200, { what: "healthy again" });
    expect(await stack.sql`select 1 from anura_events where cdrid = 'nowhere-1'`).toHaveLength(0);
  });
});
