import { type Job, UnrecoverableError } from "bullmq";
import { type JobData, type JobName, type JobResult, jobRegistry } from "./registry.ts";

/** Validate a payload against its job's schema; a malformed one can never succeed, so it is not retried. */
export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N> {
  const result = jobRegistry[name].schema.safeParse(data);
  if (result.success) return result.data as JobData<N>;
  throw new UnrecoverableError(
    `malformed ${name} job: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
}

/** A job's handler: given its payload already validated against the registry, and the BullMQ job for its id; returns the entry's result. */
export type JobHandler<N extends JobName> = (data: JobData<N>, job: Job<JobData<N>>) => Promise<JobResult<N>>;
