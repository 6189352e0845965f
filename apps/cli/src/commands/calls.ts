import { parseArgs } from "node:util";
import { latestEventPerCall, unmappedCalls } from "@anura/db";
import type { CliContext } from "../context.ts";
import { parsePositiveInt } from "../format.ts";
import { requeueEvent } from "../requeue-event.ts";
import { dispatch } from "../subcommands.ts";

const LOOKUP_CHUNK = 500;

export function callsCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("calls", { remap }, args, cli);
}

/** Re-derive every unmapped call without a task, e.g. after creating the campaign it was missing. */
async function remap(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { limit: { type: "string", default: "100000" } } });
  const limit = parsePositiveInt("limit", values.limit);
  await cli.withDatabase(async ({ db }) => {
    const calls = await unmappedCalls(db, limit);
    if (calls.length === 0) {
      console.log("no unmapped calls without a task: nothing to remap");
      return;
    }
    const reasons = countBy(calls.map((call) => call.unmappedReason ?? "unknown"));
    console.log(`${calls.length} unmapped call(s): ${[...reasons].map(([reason, n]) => `${n} missing ${reason}`).join(", ")}`);
    let redriven = 0;
    await cli.withQueues(async (queues) => {
      for (let start = 0; start < calls.length; start += LOOKUP_CHUNK) {
        const cdrids = calls.slice(start, start + LOOKUP_CHUNK).map((call) => call.cdrid);
        const events = await latestEventPerCall(db, cdrids);
        await Promise.all(events.map((event) => requeueEvent(queues, event, "remap")));
        redriven += events.length;
      }
    });
    console.log(`re-driven ${redriven} call(s); the worker re-maps them with the campaigns that exist now`);
    if (redriven < calls.length) console.log(`${calls.length - redriven} call(s) had no stored event and were skipped`);
    if (calls.length === limit) console.log(`stopped at --limit ${limit}: run again once the worker has caught up`);
  });
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
