import type { CallRow } from "@anura/db";
import type { WorkerDeps } from "../deps.ts";

/** What the next steps read of a call: a full row, or what a merge returned. */
type CallProgress = Pick<CallRow, "cdrid" | "recordingReady" | "unmappedReason" | "taskUuid"> & { recordingStoredAt: unknown };

/** Queue the recording download once the call says a recording exists and none is stored yet. */
export async function enqueueFetchIfNeeded(deps: WorkerDeps, call: CallProgress): Promise<boolean> {
  if (call.recordingStoredAt || !call.recordingReady) return false;
  await deps.queues.enqueue("recording.fetch", { cdrid: call.cdrid });
  return true;
}

/** Queue the transcription task once the call is mapped and its recording stored. */
export async function enqueueTaskIfReady(deps: WorkerDeps, call: CallProgress): Promise<boolean> {
  if (!call.recordingStoredAt || call.unmappedReason || call.taskUuid) return false;
  await deps.queues.enqueue("task.create", { cdrid: call.cdrid });
  return true;
}
