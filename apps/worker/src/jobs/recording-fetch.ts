import type { RecordingRetrySettings } from "@anura/config";
import { findCall, recordStoredRecording } from "@anura/db";
import { safeUrl } from "@anura/logger";
import { type JobHandler, jobRegistry } from "@anura/queue";
import { type Job, UnrecoverableError } from "bullmq";
import { enqueueTaskIfReady } from "../calls/next-steps.ts";
import { logTaskOutcome, pendingTaskRow } from "../calls/pending-task.ts";
import type { WorkerDeps } from "../deps.ts";
import { copyRecordingToStore } from "../recording/copy-to-store.ts";
import { RecordingGaveUp, RecordingNotReady } from "../recording/errors.ts";

/** recording.fetch: copy the call's recording from Anura into the bucket, and create its task if the call is mapped. */
export function recordingFetchJob(deps: WorkerDeps): JobHandler<"recording.fetch"> {
  return async ({ cdrid }, job) => {
    const log = deps.log.child({ jobId: job.id, callId: cdrid });
    const call = await findCall(deps.db, cdrid);
    if (!call) throw new UnrecoverableError("call not found: its event was never recorded");
    if (call.recordingStoredAt) {
      await enqueueTaskIfReady(deps, call);
      return { alreadyStored: true };
    }
    // Read the URL at run time: a later RECORDING event may have brought a fresher link.
    const url = call.state.recordingUrl;
    if (!url) throw new UnrecoverableError("call has no recording URL");

    const started = Date.now();
    let stored: Awaited<ReturnType<typeof copyRecordingToStore>>;
    try {
      stored = await copyRecordingToStore(url, cdrid, deps.store, deps.recording);
    } catch (error) {
      throw giveUpPastHorizon(error as Error, job, deps.recording.retry);
    }
    // A mapped call gets its task in the same statement: no task.create job (about 40 Redis commands)
    // and no queue hop; a call mapped later gets it from call.event's task.create.
    const taskCreated = await recordStoredRecording(deps.db, cdrid, stored, pendingTaskRow(deps, cdrid, stored));
    log.info(
      { host: safeUrl(url), key: stored.key, bytes: stored.bytes, duration: stored.duration, ms: Date.now() - started },
      "recording stored",
    );
    if (taskCreated !== null) logTaskOutcome(log, cdrid, taskCreated); // unmapped: said when task.create runs
    return { key: stored.key, bytes: stored.bytes, sha256: stored.sha256, duration: stored.duration, taskCreated };
  };
}

/** A recording still missing after RECORDING_RETRY_HORIZON is given up on, visibly, in the failed set. */
function giveUpPastHorizon(error: Error, job: Job, retry: RecordingRetrySettings): Error {
  if (!(error instanceof RecordingNotReady)) return error;
  if (!jobRegistry["recording.fetch"].retry.isLastAttempt(job, retry, error.retryAfterMs)) return error;
  return new RecordingGaveUp(`gave up after ${humanDuration(retry.horizonMs)} (RECORDING_RETRY_HORIZON): ${error.message}`);
}

function humanDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
