import { closeAll, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ProcessStack, startProcessStack } from "../support/index.ts";
import { startPrometheus } from "./prometheus-server.ts";

let stack: ProcessStack;
let prometheus: Awaited<ReturnType<typeof startPrometheus>>;

beforeAll(async () => {
  stack = await startProcessStack();
}, 120_000);
afterAll(() => closeAll(prometheus, stack));

const workersUp = async () =>
  (await prometheus.targets())
    .filter((target) => target.labels.job === "anura-worker" && target.health === "up")
    .map((target) => target.labels.instance)
    .sort();

it("Prometheus scrapes every worker listed in workers.yml, and one added later without a restart", async () => {
  const [ingester, first, second] = await Promise.all([stack.startIngester(), stack.startWorker(), stack.startWorker()]);
  prometheus = await startPrometheus({ ingester: ingester.port, worker: [first.port], dashboard: 1 });
  const one = [`127.0.0.1:${first.port}`];
  await waitFor(async () => JSON.stringify(await workersUp()) === JSON.stringify(one), { what: "the first worker scraped" });

  await prometheus.setWorkers([first.port, second.port]);
  const both = [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`].sort();
  await waitFor(async () => JSON.stringify(await workersUp()) === JSON.stringify(both), {
    what: "both workers scraped",
    timeoutMs: 30_000,
  });
  // Each worker's own series, told apart by instance.
  expect(await prometheus.query('count(anura_worker_ready{job="anura-worker"} == 1)')).toBe(2);
}, 120_000);
