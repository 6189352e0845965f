import { PassThrough } from "node:stream";
import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { createQueues, createRedisConnection, waitUntilReady } from "@anura/queue";
import { waitFor } from "@anura/testing";
import { servicesTest as it } from "@anura/testing/fixtures";
import { describe, expect } from "vitest";

describe("queue depth history for the overview's waiting-jobs chart", () => {
  it("two dashboards sampling the same minute leave one row per queue, with the real backlog", async ({ services }) => {
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
    const logs: string[] = [];
    const logStream = new PassThrough().on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    const log = createLogger({ name: "dashboard", level: "warn", destination: logStream });
    // Started together, so both take their first sample in the same minute.
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
      expect(rows.filter((row) => row.queue === "call.event").map((row) => row.waiting)).toContain(3);

      const page = await fetch(`http://127.0.0.1:${dashboards[0]?.port}/`, {
        headers: { authorization: `Basic ${Buffer.from("ops:correct-horse").toString("base64")}` },
      });
      const body = await page.text();
      const waitingTable = body.slice(body.indexOf("Waiting jobs per queue"), body.indexOf("Tasks by AuditorIA status"));
      expect(waitingTable).toMatch(/<td class="n">3<\/td>/);
    } finally {
      await Promise.all(dashboards.map((dashboard) => dashboard.close())); // each waits for its sample in progress
      await queues.close();
      await redis.quit();
    }
    // The later of the two samples of that minute must update the rows, not fail on their key and be skipped.
    expect(logs.join("")).not.toContain("queue depth sample skipped");
  });
});
