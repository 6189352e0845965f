import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { buffer } from "node:stream/consumers";
import { recordingObjectKey, taskIdFor } from "@anura/call-domain";
import { waitFor } from "@anura/testing";
import { Client } from "minio";
import { expect } from "vitest";
import { type ProcessStack, type ProcessStackOptions, startProcessStack } from "../support/index.ts";
import type { RecordedCall } from "./calls.ts";
import type { Sender } from "./sender.ts";

export const OUTPUT_DIR = resolve(import.meta.dirname, "../../test-output/reliability");

export interface ScenarioRow {
  scenario: string;
  eventsSent: number;
  eventsAcknowledged: number;
  callLogs: number;
  tasks: number;
  objects: number;
  duplicates: number;
  lost: number;
  /** Seconds from a worker's crash or stop to the last task created; only in the scenarios that stop one. */
  recoverySeconds?: number;
  /** Seconds from the replacement worker answering to the last task: recovery without its start-up time. */
  afterRestartSeconds?: number;
}

interface Observed {
  row: ScenarioRow;
  /** What is wrong, call by call, for the failure message. */
  problems: string[];
}

/** What Postgres and S3 hold now, against what the test sent and the host served. */
async function observe(stack: ProcessStack, scenario: string, calls: RecordedCall[], sender: Sender): Promise<Observed> {
  const problems: string[] = [];
  const cdrids = calls.map((call) => call.cdrid);
  const [{ logs, logCalls }] = await stack.sql<[{ logs: number; logCalls: number }]>`
    select count(*)::int as logs, count(distinct call_id)::int as "logCalls" from call_logs`;
  const logRows = await stack.sql<{ call_id: string; url: string | null }[]>`select call_id, url from call_logs`;
  const taskRows = await stack.sql<{ uuid: string; url: string; sha: string | null }[]>`
    select uuid, url, task_params->>'recording_sha256' as sha from tasks`;
  const present = new Set(
    (await stack.sql<{ id: string }[]>`select id::text from anura_events where id = any(${sender.ackedIds}::uuid[])`).map(
      (r) => r.id,
    ),
  );
  const missingEvents = sender.ackedIds.filter((id) => !present.has(id));
  if (missingEvents.length > 0) problems.push(`${missingEvents.length} acknowledged events missing from anura_events`);

  const client = new Client({
    endPoint: "127.0.0.1",
    port: Number(new URL(stack.s3.endpoint).port),
    useSSL: false,
    accessKey: stack.s3.accessKey,
    secretKey: stack.s3.secretKey,
    pathStyle: true,
    region: "us-east-1",
  });
  const objectNames: string[] = [];
  if (await client.bucketExists("audios")) {
    for await (const item of client.listObjectsV2("audios", "", true)) objectNames.push((item as { name: string }).name);
  }

  let lost = missingEvents.length;
  for (const call of calls) {
    const key = recordingObjectKey(call.cdrid, "mp3");
    const log = logRows.filter((row) => row.call_id === call.cdrid);
    const task = taskRows.filter((row) => row.uuid === taskIdFor(call.cdrid));
    const broken: string[] = [];
    if (log.length === 0) broken.push("no call log");
    else if (log[0]?.url !== key) broken.push(`call log url ${log[0]?.url}`);
    if (task.length === 0) broken.push("no task");
    else if (task[0]?.url !== key || task[0]?.sha !== call.sha256) broken.push("task points at the wrong recording");
    if (!objectNames.includes(key)) broken.push("no stored object");
    else {
      const stored = await buffer(await client.getObject("audios", key));
      if (createHash("sha256").update(stored).digest("hex") !== call.sha256)
        broken.push(`stored object differs (${stored.length}/${call.mp3.length} bytes)`);
    }
    if (broken.length > 0) {
      lost++;
      problems.push(`${call.cdrid}: ${broken.join(", ")}`);
    }
  }
  const expectedKeys = new Set(cdrids.map((cdrid) => recordingObjectKey(cdrid, "mp3")));
  const strayObjects = objectNames.filter((name) => !expectedKeys.has(name));
  if (strayObjects.length > 0) problems.push(`unexpected objects: ${strayObjects.slice(0, 5).join(", ")}`);
  const distinctTasks = new Set(taskRows.map((row) => row.uuid)).size;
  const duplicates = logs - logCalls + (taskRows.length - distinctTasks) + strayObjects.length;
  return {
    row: {
      scenario,
      eventsSent: sender.sent,
      eventsAcknowledged: sender.acked,
      callLogs: logs,
      tasks: taskRows.length,
      objects: objectNames.length,
      duplicates,
      lost,
    },
    problems,
  };
}

/**
 * Wait (bounded) until every call has its log, recording and task, then record the scenario's row in
 * test-output/reliability/<name>.json and assert nothing was lost or done twice.
 */
export async function expectCompleteEndState(
  stack: ProcessStack,
  scenario: string,
  calls: RecordedCall[],
  sender: Sender,
  options: { timeoutMs?: number; stoppedAt?: DatabaseInstant; restartedAt?: DatabaseInstant } = {},
): Promise<ScenarioRow> {
  const timeoutMs = options.timeoutMs ?? 45_000;
  try {
    await waitFor(
      async () => {
        const seen = await observe(stack, scenario, calls, sender);
        return seen.problems.length === 0 && seen.row.tasks >= calls.length;
      },
      { what: `${scenario}: every call logged, stored and tasked`, timeoutMs },
    );
  } catch {
    // Fall through: the row is still written and the assertions below say what is missing.
  }
  // A short second look: work done twice (a late duplicate) would surface after the first complete view.
  await new Promise((done) => setTimeout(done, 1000));
  const final = await observe(stack, scenario, calls, sender);
  if (options.stoppedAt) final.row.recoverySeconds = await secondsToLastTask(stack, options.stoppedAt, "the worker stopped");
  if (options.restartedAt) {
    final.row.afterRestartSeconds = await secondsToLastTask(stack, options.restartedAt, "the new worker answered");
  }
  await writeRow(final.row);
  expect(final.problems, "end-state problems").toEqual([]);
  expect(sender.refusals, "refused deliveries").toEqual([]);
  expect(final.row).toEqual({
    scenario,
    eventsSent: final.row.eventsSent,
    eventsAcknowledged: final.row.eventsSent,
    callLogs: calls.length,
    tasks: calls.length,
    objects: calls.length,
    duplicates: 0,
    lost: 0,
    recoverySeconds: final.row.recoverySeconds,
    afterRestartSeconds: final.row.afterRestartSeconds,
  });
  return final.row;
}

/** The database clock, in the same zone-less form as tasks.created_at, so the two subtract exactly. */
export type DatabaseInstant = { readonly localTimestamp: string };

export async function databaseNow(stack: ProcessStack): Promise<DatabaseInstant> {
  const [row] = await stack.sql<[{ now: string }]>`select localtimestamp::text as now`;
  return { localTimestamp: row.now };
}

/** An instant (the crash, the restart) → last task, on the database's clock; printed, never asserted. */
async function secondsToLastTask(stack: ProcessStack, stoppedAt: DatabaseInstant, what: string): Promise<number> {
  const [row] = await stack.sql<[{ seconds: number }]>`
    select extract(epoch from max(created_at) - ${stoppedAt.localTimestamp}::timestamp)::float8 as seconds from tasks`;
  const seconds = Math.round(row.seconds * 10) / 10;
  console.log(`recovery: last task ${seconds} s after ${what}`);
  return seconds;
}

export async function writeRow(row: ScenarioRow): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await writeFile(join(OUTPUT_DIR, `${row.scenario}.json`), `${JSON.stringify(row, null, 2)}\n`);
}

/** A process stack for one scenario, with an API key and campaign 1; its processes' output lands in test-output. */
export async function scenarioStack(scenario: string, options: Omit<ProcessStackOptions, "logDir"> = {}) {
  const stack = await startProcessStack({ ...options, logDir: join(OUTPUT_DIR, "logs", scenario) });
  const key = await stack.createApiKey();
  await stack.createCampaign(1);
  return { stack, key };
}
