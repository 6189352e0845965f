import { TEST_REDIS_URL, uniquePrefix, waitFor } from "@anura/testing";
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

const prefix = uniquePrefix("cli-jobs");
const connection = { url: TEST_REDIS_URL };
const env = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix };
let queue: Queue;

// Three downloads that failed for good: two refused with a 403, one timed out.
beforeAll(async () => {
  queue = new Queue("recording.fetch", { connection, prefix });
  const reasons: Record<string, string> = { a: "recording host answered 403", b: "recording host answered 403", c: "timeout" };
  for (const cdrid of Object.keys(reasons))
    await queue.add("recording.fetch", { cdrid }, { jobId: `fetch-${cdrid}`, attempts: 1 });
  const failing = new Worker(
    "recording.fetch",
    async (job) => {
      throw new Error(reasons[job.data.cdrid as string]);
    },
    { connection, prefix },
  );
  await waitFor(async () => (await queue.getFailedCount()) === 3, { what: "three failed downloads" });
  await failing.close();
});
afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
});

const waitingIds = async () => (await queue.getWaiting()).map((job) => job.id).sort();

describe("pnpm cli jobs retry-failed", () => {
  it("--reason retries only the failed jobs whose reason contains it, with their attempts reset", async () => {
    const run = await runCli(env, "jobs", "retry-failed", "--queue", "recording.fetch", "--reason", "403");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('retried 2 failed recording.fetch job(s) whose reason contains "403"');
    expect(await waitingIds()).toEqual(["fetch-a", "fetch-b"]);
    expect((await queue.getJob("fetch-a"))?.attemptsMade).toBe(0);
    expect((await queue.getFailed()).map((job) => job.id)).toEqual(["fetch-c"]);
  });

  it("without --reason retries every failed job of the queue", async () => {
    const run = await runCli(env, "jobs", "retry-failed", "--queue", "recording.fetch");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("retried 1 failed recording.fetch job(s)");
    expect(await waitingIds()).toEqual(["fetch-a", "fetch-b", "fetch-c"]);
    expect(await queue.getFailedCount()).toBe(0);
  });

  it("names the queues there are when --queue is missing or unknown (exit 1)", async () => {
    for (const args of [[], ["--queue", "recordings"]]) {
      const run = await runCli(env, "jobs", "retry-failed", ...args);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("--queue must be one of call.event, recording.fetch, task.create");
    }
    expect((await runCli(env, "jobs", "retry-failed", "--queue", "recordings")).stderr).toContain('(got "recordings")');
  });
});
