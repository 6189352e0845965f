import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { createQueues, createRedisConnection, jobIdFor, partitionOf, type RedisClient } from "@anura/queue";
import { closeAll, type RedisCluster, startRedisCluster, waitFor } from "@anura/testing";
import { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appArgs } from "../../scripts/app-process.ts";
import type { ProcessStack } from "../support/index.ts";
import { callEvents, type RecordedCall, servedCalls } from "./calls.ts";
import { writeCheckRow } from "./check-row.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "9-redis-cluster-failover";
const ROOT = resolve(import.meta.dirname, "../..");
let cluster: RedisCluster;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];
let sender: Sender;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, nodeTimeoutMs: 2000 });
  // QUEUE_PREFIX empty = unset: the apps take the cluster default, {anura}.
  ({ stack, key } = await scenarioStack(NAME, { env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_PREFIX: "" } }));
  calls = servedCalls(stack.recordings, "failover", 40, 300);
}, 90_000);
afterAll(() => closeAll(stack, cluster));

const seedNodes = () => cluster.nodes.map((node) => ({ host: "127.0.0.1", port: node.port }));

it("on a real cluster a prefix without a hash tag is refused by Redis (CROSSSLOT) and by the apps at start", async () => {
  const redis = createRedisConnection({ url: "", clusterNodes: seedNodes() }, "worker");
  const untagged = new Queue("call.event", { connection: redis, prefix: "anura-untagged", skipVersionCheck: true });
  await expect(untagged.add("call.event", {})).rejects.toThrow(/CROSSSLOT/);
  await untagged.close();
  redis.disconnect();
  // The app stops at once with the reason, before it connects to anything.
  const refused = spawnSync(process.execPath, appArgs("ingester"), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...stack.env, QUEUE_PREFIX: "anura-untagged", PORT: "0" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/QUEUE_PREFIX: "anura-untagged" has no \{hash tag\}.*CROSSSLOT/);
});

it("kill -9 of the master holding the queues' slot mid-run: the replica takes over, the apps follow it, nothing is lost or done twice", async () => {
  const [ingester, ...workers] = await Promise.all([stack.startIngester(), stack.startWorker(), stack.startWorker()]);
  sender = new Sender([ingester.baseUrl], key);
  // Each event delivered twice (Anura retries): 240 deliveries over about 8 s.
  const traffic = Promise.all(
    calls.map(async (call, i) => {
      await sleep(i * 200);
      for (const event of callEvents(call)) for (const _ of [1, 2]) await sender.post(event);
    }),
  );
  await waitFor(async () => (await taskCount()) >= 8, { what: "first tasks before the kill", timeoutMs: 45_000 });

  const slot = await cluster.slotOf("anura");
  const oldMaster = await cluster.masterOf(slot);
  const [{ killedAt }] = await stack.sql<[{ killedAt: string }]>`select now()::text as "killedAt"`;
  const killed = Date.now();
  await cluster.kill(oldMaster);
  const newMaster = await waitFor(
    async () => {
      const port = await cluster.masterOf(slot).catch(() => oldMaster);
      return port !== oldMaster && port;
    },
    { what: "a replica promoted for the queues' slot", timeoutMs: 30_000 },
  );
  const promotedSeconds = (Date.now() - killed) / 1000;
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender, { timeoutMs: 90_000 });
  // Work resumed: the first event received after the kill that reached Postgres through a worker.
  const [{ resumed }] = await stack.sql<[{ resumed: number }]>`
    select extract(epoch from min(stored_at) - ${killedAt}::timestamptz)::float8 as resumed
    from anura_events where received_at > ${killedAt}::timestamptz`;
  const resumedSeconds = Math.round(resumed * 10) / 10;
  console.log(
    `failover: replica promoted ${promotedSeconds.toFixed(1)} s after kill -9 of the master; work resumed after ${resumedSeconds} s; acknowledged via queue ${sender.via.queue}, via the Postgres inbox ${sender.via.inbox}`,
  );
  await writeCheckRow({
    scenario: `${NAME}-timing`,
    check: "kill -9 of the queues' master → replica promoted / first event stored",
    result: `${promotedSeconds.toFixed(1)} s / ${resumedSeconds} s (inbox took ${sender.via.inbox} of ${sender.acked})`,
  });
  expect(newMaster).not.toBe(oldMaster);
  // Nobody restarted: the same processes are still running.
  for (const app of [ingester, ...workers]) expect(app.logs(), app.name).not.toMatch(/"msg":"(worker stopped on an error|fatal)/);
  expect(stack.processes.filter((p) => p.name.startsWith("worker") || p.name.startsWith("ingester"))).toHaveLength(3);
  const [{ events }] = await stack.sql<[{ events: number }]>`select count(*)::int as events from anura_events`;
  expect(events).toBe(sender.acked);
  // The jobs ran on the cluster, and the promoted replica holds every one of them.
  const redis = createRedisConnection({ url: "", clusterNodes: seedNodes() }, "worker");
  const callEventQueue = new Queue("call.event", { connection: redis, prefix: "{anura}", skipVersionCheck: true });
  // At least: an event both in a batch and relayed from the inbox alone is merged (a no-op) twice.
  expect(await completedEvents(redis, callEventQueue)).toBeGreaterThanOrEqual(sender.acked);
  await callEventQueue.close();
  redis.disconnect();
}, 180_000);

it("QUEUE_PARTITIONS=3: each call's events and download go to one partition, a worker told WORKER_QUEUES=call.event.1 takes only that one", async () => {
  for (const app of stack.processes) app.kill("SIGTERM");
  await Promise.all(stack.processes.map((app) => app.exited));
  const partitioned = { QUEUE_PARTITIONS: "3" };
  const [ingester, onlyOne] = await Promise.all([
    stack.startIngester(partitioned),
    stack.startWorker({ ...partitioned, WORKER_QUEUES: "call.event.1" }),
    stack.startWorker(partitioned),
  ]);
  expect(onlyOne.logLines("worker started")[0]?.queues).toEqual(["call.event.1"]);
  const more = servedCalls(stack.recordings, "partitioned", 24, 100);
  const partitionedSender = new Sender([ingester.baseUrl], key);
  await partitionedSender.drive(more, 50);
  sender.ackedIds.push(...partitionedSender.ackedIds);
  sender.refusals.push(...partitionedSender.refusals);
  sender.sent += partitionedSender.sent;
  await expectCompleteEndState(stack, `${NAME}-partitioned`, [...calls, ...more], sender, { timeoutMs: 60_000 });

  const redis = createRedisConnection({ url: "", clusterNodes: seedNodes() }, "worker");
  const queues = createQueues(redis, "{anura}", () => {}, 3);
  const counts = await Promise.all(queues.queuesOf("call.event").map((queue) => completedEvents(redis, queue)));
  const expected = [0, 1, 2].map((n) => more.filter((call) => partitionOf(call.cdrid, 3) === n).length * 3);
  // Partition 0 is the queue the first batch used too.
  expect(counts).toEqual([sender.acked - partitionedSender.acked + (expected[0] as number), expected[1], expected[2]]);
  // Each call's download ran in its call's recording.fetch partition, and in no other.
  const downloads = queues.queuesOf("recording.fetch");
  expect(downloads).toHaveLength(3);
  for (const call of more) {
    const jobId = jobIdFor("recording.fetch", { cdrid: call.cdrid });
    const states = await Promise.all(downloads.map((queue) => queue.getJobState(jobId)));
    const home = partitionOf(call.cdrid, 3);
    expect(states, call.cdrid).toEqual(states.map((_, n) => (n === home ? "completed" : "unknown")));
  }
  await queues.close();
  redis.disconnect();
  const takenByOne = new Set(onlyOne.logLines("call event recorded").map((line) => line.callId));
  expect(takenByOne.size).toBeGreaterThan(0);
  for (const cdrid of takenByOne) expect(partitionOf(String(cdrid), 3), String(cdrid)).toBe(1);
}, 120_000);

async function taskCount(): Promise<number> {
  const [{ count }] = await stack.sql<[{ count: number }]>`select count(*)::int as count from tasks`;
  return count;
}

/** Events merged by the jobs the queue's events stream saw complete: a batch counts its merged events, a lone event 1. */
async function completedEvents(redis: RedisClient, queue: Queue): Promise<number> {
  const entries = await redis.xrange(queue.toKey("events"), "-", "+");
  const field = (fields: string[], name: string) => fields[fields.indexOf(name) + 1];
  const merged = new Map<string, number>();
  for (const [, fields] of entries) {
    if (field(fields, "event") !== "completed") continue;
    const result = JSON.parse(field(fields, "returnvalue") ?? "null") as { merged?: number } | null;
    merged.set(String(field(fields, "jobId")), result?.merged ?? 1);
  }
  return [...merged.values()].reduce((sum, n) => sum + n, 0);
}
