import { dashboardSettings, parseEnv } from "@anura/config";
import { createDb, type DbHandle } from "@anura/db";
import { connectQueues, partitionOf, type QueueConnection, waitUntilReady } from "@anura/queue";
import { closeAll, createTestDatabase, TEST_REDIS_URL, uniquePrefix, waitFor } from "@anura/testing";
import { UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingProblems } from "../src/needs-attention/recording-problems.ts";
import { fetchProgress, retryFailedFetch } from "../src/overview/fetch-progress.ts";
import { failedRecordingFetches, queueHealth } from "../src/overview/queue-health.ts";

const PARTITIONS = 3;
let connection: QueueConnection;
let workerConnection: Redis;
let database: { url: string; drop: () => Promise<void> };
let handle: DbHandle;
const prefix = uniquePrefix("partitioned");
// Two calls in each partition of recording.fetch.
const cdrids = Array.from({ length: 200 }, (_, i) => `part-${i}`)
  .filter(
    (cdrid, _, all) =>
      all.filter((other) => partitionOf(other, PARTITIONS) === partitionOf(cdrid, PARTITIONS)).indexOf(cdrid) < 2,
  )
  .slice(0, 2 * PARTITIONS);

beforeAll(async () => {
  connection = connectQueues(
    { url: TEST_REDIS_URL, clusterNodes: undefined, queuePrefix: prefix, queuePartitions: PARTITIONS },
    () => {},
  );
  await waitUntilReady(connection.redis);
  for (const cdrid of cdrids) await connection.queues.enqueue("recording.fetch", { cdrid });
  // Every download fails for good, each in its own partition's queue.
  workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const workers = connection.queues.placed
    .filter((placed) => placed.job === "recording.fetch")
    .map(
      (placed) =>
        new Worker(
          placed.queueName,
          async () => {
            throw new UnrecoverableError("gave up: the recording host answered 404");
          },
          { connection: workerConnection, prefix: placed.prefix },
        ),
    );
  await waitFor(async () => ((await connection.queues.countsOf("recording.fetch", "failed")).failed ?? 0) === cdrids.length, {
    what: "every download to fail",
  });
  await Promise.all(workers.map((worker) => worker.close()));
  // The calls as Postgres has them: recorded two hours ago, no recording stored.
  database = await createTestDatabase();
  handle = createDb(database.url, { max: 2 });
  for (const cdrid of cdrids) {
    await handle.sql`insert into anura_calls (cdrid, state, recording_ready, created_at)
      values (${cdrid}, '{}'::jsonb, true, now() - interval '2 hours')`;
  }
});
afterAll(async () => {
  workerConnection?.disconnect();
  await closeAll(connection, handle, database);
});

describe("downloads in three partitions (QUEUE_PARTITIONS=3), as the dashboard reads them", () => {
  it("the calls fall in every partition", () => {
    expect(new Set(cdrids.map((cdrid) => partitionOf(cdrid, PARTITIONS))).size).toBe(PARTITIONS);
  });
  it("the failed list holds every partition's, newest first, each naming its own partition's queue", async () => {
    const failed = await failedRecordingFetches(connection.queues, 20);
    expect(failed.map((job) => job.cdrid).sort()).toEqual([...cdrids].sort());
    for (const job of failed) {
      const partition = partitionOf(job.cdrid, PARTITIONS);
      expect(job.queue, job.cdrid).toBe(partition === 0 ? "recording.fetch" : `recording.fetch.${partition}`);
    }
    const times = failed.map((job) => job.failedAt?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await failedRecordingFetches(connection.queues, 2)).toHaveLength(2);
  });
  it("the worklist finds every call's failed download in its call's partition", async () => {
    const settings = parseEnv(dashboardSettings, { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL });
    const context = { settings: settings.needsAttention, recordingRetry: settings.recordingRetry };
    const { givenUp, failing } = await recordingProblems(handle.db, connection.queues, context);
    expect(givenUp.map((row) => row.cdrid).sort()).toEqual([...cdrids].sort());
    expect(failing).toEqual([]);
  });
  it("a call's download is found, and retried, in its call's partition", async () => {
    for (const cdrid of cdrids) expect((await fetchProgress(connection.queues, cdrid))?.state, cdrid).toBe("failed");
    const [elsewhere] = cdrids.filter((cdrid) => partitionOf(cdrid, PARTITIONS) === 2);
    expect(await retryFailedFetch(connection.queues, elsewhere as string)).toEqual({ retried: true, why: "retried" });
    expect((await fetchProgress(connection.queues, elsewhere as string))?.state).toBe("waiting");
  });
  it("the queue table counts every partition and links each one", async () => {
    const fetchRow = (await queueHealth(connection.queues)).find((row) => row.name === "recording.fetch");
    expect(fetchRow).toMatchObject({
      queueNames: ["recording.fetch", "recording.fetch.1", "recording.fetch.2"],
      failed: cdrids.length - 1,
      waiting: 1,
    });
  });
});
