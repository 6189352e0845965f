import { spawn } from "node:child_process";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { taskIdFor } from "@anura/call-domain";
import { findCall, findCallLog, findTask, listApiKeys } from "@anura/db";
import { generateMp3, type SampleRecordingServer, startSampleRecordingServer } from "@anura/dev-recordings";
import { closeAll } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

const CLI = join(import.meta.dirname, "..", "apps", "cli", "src", "main.ts");

let stack: Stack;
let samples: SampleRecordingServer;

beforeAll(async () => {
  samples = await startSampleRecordingServer();
  // As `./run.sh start` does in development: exactly the sample server's host is allowed.
  stack = await startStack({ env: { RECORDING_ALLOWED_HOSTS: samples.host } });
});
afterAll(() => closeAll(stack, samples));

/** Runs `pnpm cli simulate-call ...` as a user would, against this stack's database and ingester. */
function simulateCall(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, "simulate-call", ...args], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: stack.env.DATABASE_URL,
      DEV_RECORDINGS_PORT: new URL(samples.baseUrl).port,
      NODE_ENV: "development",
      ...env,
    },
  });
  const out = Promise.all([buffer(child.stdout), buffer(child.stderr)]);
  return new Promise<{ code: number | null; stdout: string[]; stderr: string }>((resolve) => {
    child.on("close", async (code) => {
      const [stdout, stderr] = await out;
      resolve({ code, stdout: stdout.toString().trim().split("\n"), stderr: stderr.toString() });
    });
  });
}

// Each case starts a CLI process; on a loaded machine loading its modules alone can take 20 s.
describe("pnpm cli simulate-call", { timeout: 180_000 }, () => {
  it("plays a whole call against a running system and ends with the id of a pending task whose MP3 is in the bucket", async () => {
    const run = await simulateCall(["--url", stack.baseUrl, "--seconds", "3"]);

    expect(run.stderr).toContain("created API key");
    expect(run.stderr).toMatch(/created campaign \d+ "Simulated calls"/);
    expect(run.code, run.stderr).toBe(0);
    const cdrid = run.stdout.find((line) => line.startsWith("cdrid: "))?.slice("cdrid: ".length) ?? "";
    expect(cdrid).not.toBe("");
    expect(run.stdout.at(-1)).toBe(taskIdFor(cdrid));

    const task = await findTask(stack.db, taskIdFor(cdrid));
    expect(task).toMatchObject({ status: "pending", language: "es" });
    expect(task?.audioDuration).toBeGreaterThan(2.5);
    const stored = await buffer(await stack.store.get(task?.url as string));
    expect(stored.equals(generateMp3(3))).toBe(true);
    expect(await findCallLog(stack.db, cdrid)).toMatchObject({ operatorId: 300 });
  });

  it("uses the key given with --api-key and the campaign it made before, and honours --cdrid", async () => {
    const key = await stack.createApiKey();
    const keysBefore = (await listApiKeys(stack.db)).length;
    const run = await simulateCall(["--url", stack.baseUrl, "--api-key", key, "--cdrid", "sim-given-1", "--seconds", "2"]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("created");
    expect((await listApiKeys(stack.db)).length).toBe(keysBefore);
    expect(run.stdout.at(-1)).toBe(taskIdFor("sim-given-1"));
  });

  it("with --no-recording logs the call, creates no task, and ends with the cdrid", async () => {
    const run = await simulateCall(["--url", stack.baseUrl, "--no-recording", "--cdrid", "sim-silent-1"]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.at(-1)).toBe("sim-silent-1");
    expect(await findCallLog(stack.db, "sim-silent-1")).not.toBeNull();
    expect(await findTask(stack.db, taskIdFor("sim-silent-1"))).toBeNull();
  });

  it("outside development, without --recording-url, says what it needs and sends nothing", async () => {
    const run = await simulateCall(["--url", stack.baseUrl, "--cdrid", "sim-prod-1"], { NODE_ENV: "production" });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--recording-url");
    expect(run.stdout).not.toContain("cdrid: sim-prod-1");
    expect(await findCall(stack.db, "sim-prod-1")).toBeNull();
  });

  it("exits non-zero with the stage it waited for when the task does not come in time", async () => {
    // A recording host the worker is not allowed to fetch from: the call stops before its recording.
    const url = "http://127.0.0.2:9/recordings/never.mp3";
    const run = await simulateCall(["--url", stack.baseUrl, "--recording-url", url, "--timeout", "3"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/timed out after 3 s: the recording is not stored yet/);
    expect(run.stdout.at(-1)).toMatch(/^cdrid: /);
  });

  it("says how to start the system when nothing answers at --url", async () => {
    const run = await simulateCall(["--url", "http://127.0.0.1:9", "--no-recording"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("./run.sh start");
  });
});
