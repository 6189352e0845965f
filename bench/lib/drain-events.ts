import { randomUUID } from "node:crypto";
import { type CallEvent, normaliseEvent } from "@anura/call-domain";
import { createQueues, jobIdFor, jobsForEvents } from "@anura/queue";
import { Redis } from "ioredis";
import { endEvent } from "./body.ts";

const TIME_ZONE = "America/Argentina/Buenos_Aires";
// What Anura sends only once the call is over; START and TALK lack it.
const END_ONLY = [
  "duration",
  "billseconds",
  "price",
  "talktime",
  "holdtime",
  "hangupcause",
  "hangupby",
  "status",
  "wasrecorded",
  "audio_file_mp3",
  "recording_format",
];

export interface DrainJob {
  name: "call.event";
  data: { eventId: string; receivedAt: string; event: CallEvent };
  opts: { jobId: string };
}

function normalised(body: Record<string, unknown>): CallEvent {
  const result = normaliseEvent(body, TIME_ZONE);
  if (!result.ok) throw new Error(`the bench's event does not validate: ${JSON.stringify(result.issues)}`);
  return result.event;
}

/** A call's three webhooks as Anura sends them: START and TALK without what only END knows. */
export function callBodies(cdrid: string, recordingUrl?: string): Record<string, unknown>[] {
  const end = endEvent({ cdrid, recordingUrl });
  const early = Object.fromEntries(Object.entries(end).filter(([key]) => !END_ONLY.includes(key)));
  return [{ ...early, hooktrigger: "START" }, { ...early, hooktrigger: "TALK" }, end];
}

/** START, TALK and END (no recording) for `calls` calls, shuffled, as the ingester would queue them. */
export function callEventJobs(label: string, calls: number): DrainJob[] {
  const jobs: DrainJob[] = [];
  for (let i = 0; i < calls; i++) {
    for (const body of callBodies(`${label}-${i}`)) {
      const eventId = randomUUID();
      const data = { eventId, receivedAt: new Date().toISOString(), event: normalised(body) };
      jobs.push({ name: "call.event", data, opts: { jobId: jobIdFor("call.event", { eventId }) } });
    }
  }
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j] as DrainJob, jobs[i] as DrainJob];
  }
  return jobs;
}

/**
 * What one ingester makes of 50 concurrent webhooks (measure 1's connections): one call.event job per
 * event-loop turn, 20–22 events each in the rounds of (1). The drain and the backlog queue their events
 * so, as a backlog under load is made of them; light traffic sends lone events, one job each.
 */
export const INGESTER_BATCH = 20;

/** Events grouped `eventsPerJob` to a job (one: each its own job, as the ingester sends a lone webhook). */
export function asJobs<Job extends DrainJob>(jobs: Job[], eventsPerJob: number) {
  const grouped = [];
  for (let start = 0; start < jobs.length; start += eventsPerJob) {
    grouped.push(...jobsForEvents(jobs.slice(start, start + eventsPerJob)));
  }
  return grouped;
}

/** Put the events in the call.event queue under `prefix` (with the app's default job options), `eventsPerJob` to a job. */
export async function queueJobs(redisUrl: string, prefix: string, jobs: DrainJob[], eventsPerJob = 1): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = createQueues(connection, prefix);
  try {
    const all = asJobs(jobs, eventsPerJob);
    for (let start = 0; start < all.length; start += 1000) {
      await queues.queues["call.event"].addBulk(all.slice(start, start + 1000));
    }
  } finally {
    await queues.close();
    connection.disconnect();
  }
}
