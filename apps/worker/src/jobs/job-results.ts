// What each job's handler returns: BullMQ keeps it with the completed job, and the worker's metrics read it.

export interface CallEventResult {
  unmapped: string | null;
  fetchQueued: boolean;
  taskQueued: boolean;
}

/** This attempt downloaded the recording and stored it. */
export interface RecordingStored {
  key: string;
  bytes: number;
  sha256: string;
  duration: number | null;
  /** true: this attempt also created the call's task; false: it existed; null: the call is not mapped yet. */
  taskCreated: boolean | null;
}

/** alreadyStored: an earlier attempt stored the recording, this one only queued the task. */
export type RecordingFetchResult = { alreadyStored: true } | RecordingStored;

export interface TaskCreateResult {
  taskId: string;
  /** null: the call is unmapped or has no stored recording; false: the task already existed. */
  created: boolean | null;
}

// BullMQ's completed event hands the result over as `unknown`: these recognise the results the metrics count.

/** A recording.fetch result from an attempt that stored the recording (its `bytes` tells it from alreadyStored). */
export function isRecordingStored(result: unknown): result is RecordingStored {
  return typeof result === "object" && result !== null && "bytes" in result && typeof result.bytes === "number";
}

/** A task.create result from an attempt that inserted the task. */
export function isTaskCreated(result: unknown): result is { created: true } {
  return typeof result === "object" && result !== null && "created" in result && result.created === true;
}
