import { taskIdFor } from "@anura/call-events";
import { findCall, insertPendingTask, lockCall, markTaskCreated } from "@anura/db";
import type { JobHandler } from "@anura/queue";
import type { WorkerDeps } from "../deps.ts";
import type { TaskCreateResult } from "./job-results.ts";

/** task.create: hand the stored recording to AuditorIA as one pending transcription task. */
export function taskCreateJob(deps: WorkerDeps): JobHandler<"task.create"> {
  return async ({ cdrid }, job): Promise<TaskCreateResult> => {
    const log = deps.log.child({ jobId: job.id, callId: cdrid });
    const taskId = taskIdFor(cdrid);
    const created = await deps.db.transaction(async (tx) => {
      await lockCall(tx, cdrid);
      const call = await findCall(tx, cdrid);
      if (!call?.recordingKey || call.unmappedReason) return null;
      const inserted = await insertPendingTask(tx, {
        uuid: taskId,
        status: "pending",
        fileName: call.recordingFileName,
        url: call.recordingKey,
        audioDuration: call.recordingDuration,
        language: "es",
        taskType: "full_process",
        taskParams: {
          language: "es",
          task: "transcribe",
          model: deps.task.model,
          device: deps.task.device,
          s3_path: call.recordingKey,
          bucket: deps.store.bucket,
          username: deps.task.username,
          source: "anura",
          call_id: cdrid,
          recording_bytes: call.recordingBytes,
          recording_sha256: call.recordingSha256,
        },
      });
      await markTaskCreated(tx, cdrid, taskId);
      return inserted;
    });
    if (created === null) log.warn("task not created: call is unmapped or has no stored recording");
    else log.info({ taskId, created }, created ? "task created" : "task already existed");
    return { taskId, created };
  };
}
