import type { MappingDefaults, RecordingRetrySettings, WorkerSettings } from "@anura/config";
import type { Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues } from "@anura/queue";
import type { RecordingStore } from "@anura/storage";
import type { WorkerMetrics } from "./observability/metrics.ts";
import type { CdrReconciler } from "./reconcile/start-reconciler.ts";
import type { CopyOptions } from "./recording/copy-to-store.ts";

/** Everything a job needs, built once in start-worker.ts (or by a test) and passed down. */
export interface WorkerDeps {
  db: Db;
  queues: Queues;
  store: RecordingStore;
  log: Logger;
  metrics: WorkerMetrics;
  mapping: MappingDefaults;
  task: WorkerSettings["task"];
  recording: Omit<CopyOptions, "onProgress"> & { retry: RecordingRetrySettings };
  /** Set when this worker reconciles with Anura's CDR list (API credentials given, cdr.reconcile consumed). */
  cdrs?: CdrReconciler;
}
