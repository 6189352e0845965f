import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "@anura/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, recordedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "9-cluster-hash-tag-prefix";
let redisDir: string;
let redisProcess: ChildProcess;
let redisUrl: string;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

/**
 * A one-node Redis Cluster owning every slot: plain clients can talk to it, yet it refuses any
 * command or script whose keys span slots (CROSSSLOT), exactly as a real cluster would.
 */
/** A cluster node also listens on port + 10000 (its bus), so the port must leave room for it. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535) return port;
  }
}

async function startClusterNode() {
  const port = await freeClusterPort();
  redisDir = await mkdtemp(join(tmpdir(), "anura-cluster-"));
  redisProcess = spawn(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--save",
      "",
      "--appendonly",
      "no",
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(redisDir, "nodes.conf"),
      "--dir",
      redisDir,
    ],
    { stdio: "ignore" },
  );
  const admin = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0 });
  admin.on("error", () => {});
  await waitFor(
    async () =>
      (await admin.connect().then(
        () => true,
        () => false,
      )) && admin.status === "ready",
    { what: "cluster node" },
  );
  await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
  await waitFor(async () => String(await admin.call("CLUSTER", "INFO")).includes("cluster_state:ok"), {
    what: "cluster state ok",
  });
  admin.disconnect();
  return `redis://127.0.0.1:${port}`;
}

beforeAll(async () => {
  redisUrl = await startClusterNode();
  const prefix = `{anura-test-${Math.random().toString(36).slice(2, 8)}}`;
  ({ stack, key } = await scenarioStack(NAME, { redisUrl, env: { QUEUE_PREFIX: prefix } }));
  calls = recordedCalls(stack.recordings, "tag", 30);
  for (const call of calls) stack.recordings.serve(call.path, call.mp3);
});
afterAll(async () => {
  await stack?.close();
  redisProcess?.kill("SIGKILL");
  if (redisDir) await rm(redisDir, { recursive: true, force: true });
});

it("with QUEUE_PREFIX set to a hash tag the whole pipeline runs on a Redis that enforces cluster slots", async () => {
  // The check is real: without a hash tag, BullMQ's scripts touch keys in several slots and are refused.
  const untagged = new Queue("call.event", { connection: { url: redisUrl }, prefix: "anura-untagged" });
  await expect(untagged.add("call.event", {})).rejects.toThrow(/CROSSSLOT/);
  await untagged.close();

  const [ingester, worker] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  await sender.drive(calls, 100);
  await expectCompleteEndState(stack, NAME, calls, sender);
  expect(sender.via).toEqual({ queue: calls.length * 3, inbox: 0 });
  for (const app of [ingester, worker]) expect(app.logs(), app.name).not.toMatch(/CROSSSLOT/);
}, 90_000);
