import type { JobHandler } from "@anura/queue";
import { UnrecoverableError } from "bullmq";
import type { WorkerDeps } from "../deps.ts";

/** cdr.reconcile: check Anura's CDR list from the stored cursor on, window by window, and recover what we lack. */
export function cdrReconcileJob(deps: WorkerDeps): JobHandler<"cdr.reconcile"> {
  return async () => {
    if (!deps.cdrs) {
      throw new UnrecoverableError("reconciliation is off on this worker: set ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET");
    }
    return deps.cdrs.run();
  };
}
