import { parseArgs } from "node:util";
import { remapUnmappedCalls } from "@anura/queue";
import type { CliContext } from "../context.ts";
import { parsePositiveInt } from "../format.ts";
import { dispatch } from "../subcommands.ts";

export function callsCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("calls", { remap }, args, cli);
}

/** Map again every unmapped call without a task, e.g. after creating the campaign it was missing. */
async function remap(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { limit: { type: "string", default: "100000" } } });
  const limit = parsePositiveInt("limit", values.limit);
  await cli.withDatabase(async ({ db }) => {
    const outcome = await cli.withQueues((queues) => remapUnmappedCalls(db, queues, limit));
    if (outcome.found === 0) {
      console.log("no unmapped calls without a task: nothing to remap");
      return;
    }
    const reasons = [...outcome.reasons].map(([reason, n]) => `${n} missing ${reason}`).join(", ");
    console.log(`${outcome.found} unmapped call(s): ${reasons}`);
    console.log(`re-driven ${outcome.redriven} call(s); the worker re-maps them with the campaigns that exist now`);
    if (outcome.redriven < outcome.found)
      console.log(`${outcome.found - outcome.redriven} call(s) had no stored event and were skipped`);
    if (outcome.found === limit) console.log(`stopped at --limit ${limit}: run again once the worker has caught up`);
  });
}
