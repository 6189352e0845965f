import { taskIdFor } from "@anura/call-events";
import { type CallRow, type DbOrTx, insertPendingTask, markTaskCreated } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { WorkerDeps } from "../deps.ts";

/**
 * Insert the call's pending transcription task and note it on the call; false when the task already
 * existed. Run inside a transaction holding the call's lock, with the call as read under it.
 */
export async function createPendingTask(
  tx: DbOrTx,
  deps: Pick<WorkerDeps, "task" | "store">,
  call: CallRow,
  recordingKey: string,
): Promise<boolean> {
  const taskId = taskIdFor(call.cdrid);
  const inserted = await insertPendingTask(tx, {
    uuid: taskId,
    status: "pending",
    fileName: call.recordingFileName,
    url: recordingKey,
    audioDuration: call.recordingDuration,
    language: "es",
    taskType: "full_process",
    taskParams: {
      language: "es",
      task: "transcribe",
      model: deps.task.model,
      device: deps.task.device,
      s3_path: recordingKey,
      bucket: deps.store.bucket,
      username: deps.task.username,
      source: "anura",
      call_id: call.cdrid,
      recording_bytes: call.recordingBytes,
      recording_sha256: call.recordingSha256,
    },
  });
  await markTaskCreated(tx, call.cdrid, taskId);
  return inserted;
}

/** One line per task outcome, the same whichever job created it (null: the call was not ready). */
export function logTaskOutcome(log: Logger, cdrid: string, created: boolean | null): void {
  if (created === null) log.warn("task not created: call is unmapped or has no stored recording");
  else log.info({ taskId: taskIdFor(cdrid), created }, created ? "task created" : "task already existed");
}
