import { z } from "zod";

// What each job's handler returns: BullMQ keeps it with the completed job, and the worker's metrics read it.

const eventMerged = z.object({
  /** Why the call has no campaign or operator yet, or null once mapped. */
  unmapped: z.string().nullable(),
  fetchQueued: z.boolean(),
  taskQueued: z.boolean(),
});

/** A batch: how many of its events were merged, and how many failed and were queued again alone. */
const batchMerged = z.object({ merged: z.number(), requeued: z.number() });

export const callEventResult = z.union([eventMerged, batchMerged]);

/** This attempt downloaded the recording and stored it. */
const recordingStored = z.object({
  key: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  duration: z.number().nullable(),
  /** true: this attempt also created the call's task; false: it existed; null: the call is not mapped yet. */
  taskCreated: z.boolean().nullable(),
});

/** alreadyStored: an earlier attempt stored the recording, this one only queued the task. */
export const recordingFetchResult = z.union([z.object({ alreadyStored: z.literal(true) }), recordingStored]);

export const taskCreateResult = z.object({
  taskId: z.string(),
  /** null: the call is unmapped or has no stored recording; false: the task already existed. */
  created: z.boolean().nullable(),
});

/** One poll of Anura's CDR list: windows checked, and calls confirmed, recovered or failed in them. */
export const cdrReconcileResult = z.object({
  windows: z.number(),
  caughtUp: z.boolean(),
  confirmed: z.number(),
  recovered: z.number(),
  failed: z.number(),
});
