export { cdrEndEvent } from "./cdr-event.ts";
export { type PollResult, reconcileStoredWindows, WINDOWS_PER_JOB } from "./reconcile-poll.ts";
export {
  BATCH,
  LINK_CONCURRENCY,
  type Outcome,
  type ReconcileContext,
  type RecoveredCall,
  reconcileWindow,
  type WindowReport,
} from "./reconcile-window.ts";
export { eachLimited, type RetryPolicy, withRetries } from "./retry.ts";
export { MAX_WINDOW_MS, nextWindow, type PlannedWindow, type WindowRules } from "./windows.ts";
