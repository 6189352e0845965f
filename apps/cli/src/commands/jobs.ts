import { parseArgs } from "node:util";
import { JOB_NAMES, type JobName } from "@anura/queue";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { dispatch } from "../subcommands.ts";

const PAGE = 500;

export function jobsCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("jobs", { "retry-failed": retryFailed }, args, cli);
}

/** Move failed jobs back to waiting, with their attempt counters reset, optionally only those failing for a reason. */
async function retryFailed(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { queue: { type: "string" }, reason: { type: "string" } } });
  const name = values.queue;
  if (!name || !JOB_NAMES.includes(name as JobName)) {
    throw new CliError(`--queue must be one of ${JOB_NAMES.join(", ")}${name ? ` (got "${name}")` : ""}`);
  }
  const needle = values.reason?.toLowerCase();
  await cli.withQueues(async (queues) => {
    // Collect first: retrying removes jobs from the failed set and would shift the pages.
    const matching = [];
    for (const queue of queues.queuesOf(name as JobName)) {
      for (let start = 0; ; start += PAGE) {
        const page = await queue.getFailed(start, start + PAGE - 1);
        matching.push(...page.filter((job) => job && (!needle || (job.failedReason ?? "").toLowerCase().includes(needle))));
        if (page.length < PAGE) break;
      }
    }
    let retried = 0;
    for (let start = 0; start < matching.length; start += PAGE) {
      const results = await Promise.allSettled(
        matching
          .slice(start, start + PAGE)
          .map((job) => job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true })),
      );
      retried += results.filter((result) => result.status === "fulfilled").length;
    }
    const filtered = needle ? ` whose reason contains "${values.reason}"` : "";
    console.log(`retried ${retried} failed ${name} job(s)${filtered}`);
    if (retried < matching.length)
      console.log(`${matching.length - retried} job(s) could not be retried (they changed state meanwhile, or Redis refused)`);
  });
}
