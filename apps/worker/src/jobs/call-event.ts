import type { JobHandler } from "@anura/queue";
import { createCampaignMapper } from "../calls/campaign-cache.ts";
import { mergeEventIntoCall } from "../calls/merge-event.ts";
import { enqueueFetchIfNeeded, enqueueTaskIfReady } from "../calls/next-steps.ts";
import { createRecentCalls } from "../calls/recent-calls.ts";
import type { WorkerDeps } from "../deps.ts";

/** call.event: merge the webhook event into its call (and call log), then start whatever the call now needs. */
export function callEventJob(deps: WorkerDeps): JobHandler<"call.event"> {
  const mapCall = createCampaignMapper(deps.db, deps.mapping);
  const recent = createRecentCalls();
  return async (data, job) => {
    const { event } = data;
    const call = await mergeEventIntoCall(deps, mapCall, recent, data);
    const fetchQueued = await enqueueFetchIfNeeded(deps, call);
    const taskQueued = await enqueueTaskIfReady(deps, call);
    // The hottest job: a child logger (with its redaction setup) only when the line will be written.
    if (deps.log.isLevelEnabled("info")) {
      const log = deps.log.child({ jobId: job.id, eventId: data.eventId, callId: event.cdrid });
      log.info({ trigger: event.trigger, unmapped: call.unmappedReason, fetchQueued, taskQueued }, "call event recorded");
    }
    return { unmapped: call.unmappedReason, fetchQueued, taskQueued };
  };
}
