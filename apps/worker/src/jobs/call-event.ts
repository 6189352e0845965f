import type { StoredCall } from "@anura/db";
import type { JobData, JobHandler, JobResult } from "@anura/queue";
import type { Job } from "bullmq";
import { createCampaignMapper } from "../calls/campaign-cache.ts";
import { mergeEventIntoCall, mergeEventsIntoCalls } from "../calls/merge-event.ts";
import { enqueueFetchIfNeeded, enqueueTaskIfReady } from "../calls/next-steps.ts";
import { createRecentCalls } from "../calls/recent-calls.ts";
import type { WorkerDeps } from "../deps.ts";

type EventData = JobData<"call.event">;

/**
 * call.event: merge webhook events into their calls (and call logs), then start whatever each call now
 * needs. `one` is a job's event; `many` merges a batch's events with one statement and returns those
 * it leaves for `one`. Both share one memory of recent calls and one campaign cache.
 */
export function callEventJobs(deps: WorkerDeps) {
  const mapCall = createCampaignMapper(deps.db, deps.mapping);
  const recent = createRecentCalls();

  async function nextSteps(call: StoredCall, events: EventData[], job: Job): Promise<JobResult<"call.event">> {
    const fetchQueued = await enqueueFetchIfNeeded(deps, call);
    const taskQueued = await enqueueTaskIfReady(deps, call);
    // The hottest job: a child logger (with its redaction setup) only when the line will be written.
    if (deps.log.isLevelEnabled("info")) {
      for (const { eventId, event } of events) {
        const log = deps.log.child({ jobId: job.id, eventId, callId: event.cdrid });
        log.info({ trigger: event.trigger, unmapped: call.unmappedReason, fetchQueued, taskQueued }, "call event recorded");
      }
    }
    return { unmapped: call.unmappedReason, fetchQueued, taskQueued };
  }

  const one: JobHandler<"call.event"> = async (data, job) =>
    nextSteps(await mergeEventIntoCall(deps, mapCall, recent, data), [data], job);

  async function many(events: EventData[], job: Job): Promise<EventData[]> {
    const { saved, left } = await mergeEventsIntoCalls(deps, mapCall, recent, events);
    await Promise.all(
      saved.map(({ call, events: merged }) =>
        // Saved, but its download or task not queued (Redis): its events go one by one, which queues them or fails alone.
        nextSteps(call, merged, job).catch(() => left.push(...merged)),
      ),
    );
    return left;
  }

  return { one, many };
}
