import { UnrecoverableError } from "bullmq";
import { z } from "zod";

/** Every job the system runs: its queue name and the payload it carries. */
export const jobCatalog = {
  /** Record one accepted webhook event and re-derive the call from all its events. */
  "call.event": z.object({
    eventId: z.uuid(),
    receivedAt: z.iso.datetime(),
    event: z.looseObject({ trigger: z.string().min(1), cdrid: z.string().min(1).max(36) }),
  }),
  /** Download the call's recording and store it in the bucket. */
  "recording.fetch": z.object({ cdrid: z.string().min(1).max(36) }),
  /** Create AuditorIA's pending transcription task for a mapped call with a stored recording. */
  "task.create": z.object({ cdrid: z.string().min(1).max(36) }),
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobData<N extends JobName> = z.output<(typeof jobCatalog)[N]>;
export const JOB_NAMES = Object.keys(jobCatalog) as JobName[];

/** Environment-variable form of a queue name: recording.fetch → RECORDING_FETCH. */
export function queueEnvName(name: JobName): string {
  return name.replace(/\W/g, "_").toUpperCase();
}

/** Re-validate a job's payload in the worker; a malformed one can never succeed, so it is not retried. */
export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N> {
  const result = jobCatalog[name].safeParse(data);
  if (result.success) return result.data as JobData<N>;
  throw new UnrecoverableError(
    `malformed ${name} job: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
}
