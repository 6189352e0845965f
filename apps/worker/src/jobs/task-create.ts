import { taskIdFor } from "@anura/call-domain";
import { findCall, lockCall } from "@anura/db";
import type { JobHandler } from "@anura/queue";
import { createPendingTask, logTaskOutcome } from "../calls/pending-task.ts";
import type { WorkerDeps } from "../deps.ts";

/** task.create: hand the stored recording to AuditorIA as one pending transcription task (for calls mapped after their download). */
export function taskCreateJob(deps: WorkerDeps): JobHandler<"task.create"> {
  return async ({ cdrid }, job) => {
    const log = deps.log.child({ jobId: job.id, callId: cdrid });
    const taskId = taskIdFor(cdrid);
    const created = await deps.db.transaction(async (tx) => {
      await lockCall(tx, cdrid);
      const call = await findCall(tx, cdrid);
      if (!call?.recordingKey || call.unmappedReason) return null;
      return createPendingTask(tx, deps, call, call.recordingKey);
    });
    logTaskOutcome(log, cdrid, created);
    return { taskId, created };
  };
}
