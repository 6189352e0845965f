import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { type AnuraStandIn, startAnuraStandIn } from "@anura/dev-anura-api";
import { type SampleRecordingServer, startSampleRecordingServer } from "@anura/dev-recordings";
import { closeAll } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

const CLI = join(import.meta.dirname, "..", "apps", "cli", "src", "main.ts");

let stack: Stack;
let samples: SampleRecordingServer;
let standIn: AnuraStandIn;

beforeAll(async () => {
  samples = await startSampleRecordingServer();
  // As `./run.sh start` runs it in development: its own client id, a secret made up at start.
  standIn = await startAnuraStandIn({ clientId: "dev-anura-client", clientSecret: randomBytes(18).toString("base64url") });
  stack = await startStack({
    env: { ...standIn.env, RECORDING_ALLOWED_HOSTS: samples.host, ANURA_CDR_POLL_SECONDS: "1", ANURA_CDR_SETTLE_SECONDS: "1" },
  });
});
afterAll(() => closeAll(stack, standIn, samples));

it("simulate-call --webhook-lost: no webhook reaches us, reconciliation finds the call in the CDR list and makes its pending task", {
  timeout: 180_000,
}, async () => {
  const child = spawn(process.execPath, [CLI, "simulate-call", "--webhook-lost", "--seconds", "2", "--url", stack.baseUrl], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: stack.env.DATABASE_URL,
      DEV_RECORDINGS_PORT: new URL(samples.baseUrl).port,
      DEV_ANURA_API_PORT: new URL(standIn.baseUrl).port,
      NODE_ENV: "development",
    },
  });
  const [stdout, stderr] = (await Promise.all([buffer(child.stdout), buffer(child.stderr)])).map((b) => b.toString()) as [
    string,
    string,
  ];
  const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on("close", resolve)));
  expect(code, `${stderr}\n${stdout}`).toBe(0);
  expect(stderr).toContain("no webhook sent");
  const cdrid =
    stdout
      .split("\n")
      .find((line) => line.startsWith("cdrid: "))
      ?.slice(7) ?? "";
  expect(stdout.trim().split("\n").at(-1)).toBe(taskIdFor(cdrid));
  expect(await findTask(stack.db, taskIdFor(cdrid))).toMatchObject({ status: "pending" });
  const [events] = await stack.sql<{ webhooks: number; cdr: number }[]>`
    select count(*) filter (where payload->'extra'->>'source' is distinct from 'cdr')::int as webhooks,
           count(*) filter (where payload->'extra'->>'source' = 'cdr')::int as cdr
    from anura_events where cdrid = ${cdrid}`;
  expect(events).toEqual({ webhooks: 0, cdr: 1 });
  const [call] = await stack.sql<
    { source: string; campaign_id: number }[]
  >`select source, campaign_id from anura_calls where cdrid = ${cdrid}`;
  expect(call?.source).toBe("cdr");
  expect(call?.campaign_id).toBeGreaterThan(0); // mapped by the CDR's account tags, as a webhook's would be
});
