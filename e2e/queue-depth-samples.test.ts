import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { createQueues, createRedisConnection, waitUntilReady } from "@anura/queue";
import { startTestServices, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let services: Awaited<ReturnType<typeof startTestServices>>;

beforeAll(async () => {
  services = await startTestServices({ label: "depth" });
});
afterAll(async () => {
  await services?.close();
});

describe("queue depth history for the overview's waiting-jobs chart", () => {
  it("two dashboards sampling the same minute leave one row per queue, with the real backlog", async () => {
    // A backlog no worker drains: three call.event jobs waiting.
    const redis = createRedisConnection({ url: services.env.REDIS_URL }, "producer");
    await waitUntilReady(redis);
    const queues = createQueues(redis, services.prefix);
    for (const id of ["a", "b", "c"]) await queues.queues["call.event"].add("call.event", { id }, { jobId: `depth-${id}` });

    const env = parseEnv(dashboardSettings, {
      ...services.env,
      DASHBOARD_PORT: "0",
      HOST: "127.0.0.1",
      DASHBOARD_USER: "ops",
      DASHBOARD_PASSWORD: "correct-horse",
    });
    const log = createLogger({ name: "dashboard", level: "silent" });
    const dashboards = await Promise.all([startDashboard(env, log), startDashboard(env, log)]);
    try {
      const rows = await waitFor(
        async () => {
          const found = await services.sql<{ queue: string; minute: Date; waiting: number }[]>`
            select queue, minute, waiting from queue_depth_samples order by minute, queue`;
          return found.length >= 3 ? found : null;
        },
        { what: "the first samples", timeoutMs: 30_000 },
      );
      const perQueueMinute = new Set(rows.map((row) => `${row.queue} ${String(row.minute)}`));
      expect(perQueueMinute.size).toBe(rows.length);
      expect(rows.filter((row) => row.queue === "call.event").map((row) => row.waiting)).toContain(3);

      const page = await fetch(`http://127.0.0.1:${dashboards[0]?.port}/`, {
        headers: { authorization: `Basic ${Buffer.from("ops:correct-horse").toString("base64")}` },
      });
      const body = await page.text();
      const waitingTable = body.slice(body.indexOf("Waiting jobs per queue"), body.indexOf("Tasks by AuditorIA status"));
      expect(waitingTable).toMatch(/<td class="n">3<\/td>/);
    } finally {
      await Promise.all(dashboards.map((dashboard) => dashboard.close()));
      await queues.close();
      await redis.quit();
    }
  });
});
