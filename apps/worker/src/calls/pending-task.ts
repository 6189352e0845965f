import { taskIdFor } from "@anura/call-domain";
import { type DbOrTx, insertPendingTask, markTaskCreated, type NewTask, type StoredCall, type StoredRecording } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { WorkerDeps } from "../deps.ts";

/** The pending transcription task AuditorIA's workers take for a call's stored recording. */
export function pendingTaskRow(
  deps: Pick<WorkerDeps, "task" | "store">,
  cdrid: string,
  recording: Pick<StoredRecording, "key" | "fileName" | "bytes" | "sha256" | "duration">,
): NewTask & { uuid: string } {
  return {
    uuid: taskIdFor(cdrid),
    status: "pending",
    fileName: recording.fileName,
    url: recording.key,
    audioDuration: recording.duration,
    language: "es",
    taskType: "full_process",
    taskParams: {
      language: "es",
      task: "transcribe",
      model: deps.task.model,
      device: deps.task.device,
      s3_path: recording.key,
      bucket: deps.store.bucket,
      username: deps.task.username,
      source: "anura",
      call_id: cdrid,
      recording_bytes: recording.bytes,
      recording_sha256: recording.sha256,
    },
  };
}

/**
 * Insert the call's pending transcription task and note it on the call; false when the task already
 * existed. Run inside a transaction holding the call's lock, with the call as read under it.
 */
export async function createPendingTask(
  tx: DbOrTx,
  deps: Pick<WorkerDeps, "task" | "store">,
  call: StoredCall,
  recordingKey: string,
): Promise<boolean> {
  const task = pendingTaskRow(deps, call.cdrid, {
    key: recordingKey,
    fileName: call.recordingFileName as string,
    bytes: call.recordingBytes as number,
    sha256: call.recordingSha256 as string,
    duration: call.recordingDuration,
  });
  const inserted = await insertPendingTask(tx, task);
  await markTaskCreated(tx, call.cdrid, task.uuid);
  return inserted;
}

/** One line per task outcome, the same whichever job created it (null: the call was not ready). */
export function logTaskOutcome(log: Logger, cdrid: string, created: boolean | null): void {
  if (created === null) log.warn("task not created: call is unmapped or has no stored recording");
  else log.info({ taskId: taskIdFor(cdrid), created }, created ? "task created" : "task already existed");
}
