import { closeAll, freePort, startRedisServer, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../support/index.ts";
import { startPrometheus } from "./prometheus-server.ts";

let redis: Awaited<ReturnType<typeof startRedisServer>>;
let stack: Stack;
let prometheus: Awaited<ReturnType<typeof startPrometheus>>;

beforeAll(async () => {
  redis = await startRedisServer(); // our own, so stopping it disturbs no other test
  stack = await startStack({ worker: false, env: { REDIS_URL: redis.url } });
  // Only the ingester matters here; the other targets point at closed ports.
  prometheus = await startPrometheus({
    ingester: Number(new URL(stack.baseUrl).port),
    worker: await freePort(),
    dashboard: await freePort(),
  });
});
afterAll(() => closeAll(prometheus, stack, redis));

describe("Redis down in a real Prometheus", () => {
  it("the ingester still answers scrapes, and AnuraInboxInUse goes pending once events go to the inbox", async () => {
    const key = await stack.createApiKey();
    await waitFor(async () => (await prometheus.query('up{job="anura-ingester"}')) === 1, {
      what: "ingester scraped",
      timeoutMs: 30_000,
    });
    await redis.stop();
    const accepted = await stack.post({ hooktrigger: "START", cdrid: "inbox-1" }, { "X-API-Key": key });
    expect(accepted.body).toMatchObject({ success: true, accepted_via: "inbox" });

    const alert = await waitFor(
      async () => {
        const found = (await prometheus.alerts()).find((candidate) => candidate.labels.alertname === "AnuraInboxInUse");
        return found && found.state !== "inactive" && found;
      },
      { what: "AnuraInboxInUse pending or firing", timeoutMs: 30_000 },
    );
    expect(alert.annotations.runbook).toBe("README.md#anurainboxinuse");
    expect(await prometheus.query('up{job="anura-ingester"}')).toBe(1);
  });
});
