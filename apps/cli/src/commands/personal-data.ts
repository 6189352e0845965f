import { parseArgs } from "node:util";
import { type Db, forgetCall, scrubCallsOlderThan, scrubEventCopy } from "@anura/db";
import { isCallEventBatch, jobIdFor, jobRegistry, masters, type Queues, type RedisClient } from "@anura/queue";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { dispatch } from "../subcommands.ts";

export function personalDataCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("personal-data", { scrub, forget }, args, cli);
}

/** Scrub now what the worker's sweeper would scrub at its next pass (or with another age). */
async function scrub(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { "older-than-days": { type: "string" } } });
  const raw = values["older-than-days"];
  const days = raw === undefined ? cli.settings.personalDataRetentionDays : Number(raw);
  if (!Number.isFinite(days) || days < 0) throw new CliError(`--older-than-days must be a number of days ≥ 0, got "${raw}"`);
  const scrubbed = await cli.withDatabase(({ db }) => scrubCallsOlderThan(db, days));
  console.log(`scrubbed ${scrubbed} call(s) first stored more than ${days} day(s) ago`);
}

/** A person's request: scrub one call at once, in Postgres and in the job copies Redis still keeps. */
async function forget(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { call: { type: "string" } } });
  const cdrid = values.call?.trim();
  if (!cdrid) throw new CliError("--call is required: pnpm cli personal-data forget --call <cdrid>");
  await cli.withDatabase(async ({ db }) => {
    const outcome = await forgetCall(db, cdrid);
    // Every partition: a job queued under an earlier QUEUE_PARTITIONS may sit in another one.
    const jobs = await cli.withQueues(async (queues, redis) => {
      let scrubbed = 0;
      for (const queue of queues.queuesOf("call.event")) scrubbed += await scrubJobCopies(db, queue, redis, outcome.eventIds);
      return scrubbed;
    });
    if (!outcome.callScrubbed && outcome.events === 0 && outcome.inboxRows === 0 && jobs === 0) {
      throw new CliError(`no call ${cdrid} in anura_calls, anura_events, the inbox or the queue: check the cdrid`);
    }
    console.log(`call ${cdrid}: ${outcome.callScrubbed ? "scrubbed" : "was already scrubbed"}`);
    console.log(`  anura_events: ${outcome.events} event(s) scrubbed; webhook_inbox: ${outcome.inboxRows} row(s) scrubbed`);
    console.log(`  Redis: ${jobs} call.event job(s) scrubbed (kept in place until their retention ends)`);
    console.log("  kept: cdrid, triggers, times, mapping, recording key and task, for stats and the audit trail");
    console.log("  not ours: AuditorIA's call_logs.ani_tel and the recording in the bucket; ask AuditorIA to remove them");
  });
}

/**
 * Failed call.event jobs keep the event until their retention ends (completed ones go at once), and a
 * waiting or retrying batch holds its events until it completes: rewrite each copy of this call's events,
 * found by the registry's id rules (its job id, every rerun's id pattern, every batch).
 */
const reruns = jobRegistry["call.event"].rerun;
const batches = jobRegistry["call.event"].batch;

async function scrubJobCopies(
  db: Db,
  queue: ReturnType<Queues["queueFor"]>,
  redis: RedisClient,
  eventIds: string[],
): Promise<number> {
  const mine = new Set(eventIds);
  const ids = new Set(eventIds.map((eventId) => jobIdFor("call.event", { eventId })));
  const patterns = [
    ...eventIds.flatMap((eventId) => reruns.purposes.map((purpose) => reruns.idPattern({ eventId }, purpose))),
    batches.idPattern,
  ];
  for (const pattern of patterns) for (const id of await jobIdsMatching(queue, redis, pattern)) ids.add(id);
  let scrubbed = 0;
  for (const id of ids) {
    const job = await queue.getJob(id);
    if (!job) continue;
    if (isCallEventBatch(job.data)) {
      if (!job.data.batch.some((entry) => mine.has(batches.eventIdOf(entry) ?? ""))) continue;
      const batch = [];
      for (const entry of job.data.batch) {
        const read = batches.entry.safeParse(entry);
        const isMine = read.success && mine.has(read.data.eventId);
        batch.push(isMine ? { ...read.data, event: await scrubEventCopy(db, read.data.event) } : entry);
      }
      await job.updateData({ batch });
    } else {
      await job.updateData({ ...job.data, event: await scrubEventCopy(db, job.data.event) });
    }
    scrubbed++;
  }
  return scrubbed;
}

/** Ids of the queue's jobs matching a SCAN pattern (after the queue's key prefix), on every master. */
async function jobIdsMatching(queue: ReturnType<Queues["queueFor"]>, redis: RedisClient, pattern: string): Promise<string[]> {
  const ids: string[] = [];
  // In a cluster a queue's keys share one slot, so one master holds them: scan each.
  for (const node of masters(redis)) {
    for await (const keys of node.scanStream({ match: queue.toKey(pattern), count: 1000 })) {
      for (const key of keys as string[]) {
        const id = key.slice(queue.toKey("").length);
        if (!id.includes(":")) ids.push(id); // skip a job's side keys (…:logs, …:lock)
      }
    }
  }
  return ids;
}
