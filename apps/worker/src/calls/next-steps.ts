import type { StoredCall } from "@anura/db";
import type { WorkerDeps } from "../deps.ts";

/** Queue the recording download once the call says a recording exists and none is stored yet. */
export async function enqueueFetchIfNeeded(deps: WorkerDeps, call: StoredCall): Promise<boolean> {
  if (call.recordingStoredAt || !call.recordingReady) return false;
  await deps.queues.enqueue("recording.fetch", { cdrid: call.cdrid });
  return true;
}

/** Whether a call is ready for AuditorIA: mapped, its recording stored, and no task yet. */
export function readyForTask(call: StoredCall): boolean {
  return Boolean(call.recordingStoredAt) && !call.unmappedReason && !call.taskUuid;
}

/** Queue the transcription task once the call is ready for it. */
export async function enqueueTaskIfReady(deps: WorkerDeps, call: StoredCall): Promise<boolean> {
  if (!readyForTask(call)) return false;
  await deps.queues.enqueue("task.create", { cdrid: call.cdrid });
  return true;
}
