import type { CallEvent } from "@anura/anura";
import { parseJobData } from "@anura/queue";
import type { Job } from "bullmq";
import { createCampaignMapper } from "../calls/campaign-cache.ts";
import { recordEventAndDeriveCall } from "../calls/derive-call.ts";
import { enqueueFetchIfNeeded, enqueueTaskIfReady } from "../calls/next-steps.ts";
import type { WorkerDeps } from "../deps.ts";

/** call.event: persist the webhook event, update the CallLog, and start whatever the call now needs. */
export function callEventJob(deps: WorkerDeps) {
  const mapCall = createCampaignMapper(deps.db, deps.mapping);
  return async (job: Job) => {
    const data = parseJobData("call.event", job.data);
    const event = data.event as unknown as CallEvent;
    const log = deps.log.child({ jobId: job.id, callId: event.cdrid });
    const call = await recordEventAndDeriveCall(deps, mapCall, { ...data, event });
    const fetchQueued = await enqueueFetchIfNeeded(deps, call);
    const taskQueued = await enqueueTaskIfReady(deps, call);
    log.info({ trigger: event.trigger, unmapped: call.unmappedReason, fetchQueued, taskQueued }, "call event recorded");
    return { unmapped: call.unmappedReason, fetchQueued, taskQueued };
  };
}
