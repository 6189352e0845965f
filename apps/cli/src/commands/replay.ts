import { parseArgs } from "node:util";
import { countEventsMatching, type Db, eventsMatchingInBatches, firstEventsMatching, type StoredEventFilter } from "@anura/db";
import { requeueEvent } from "@anura/queue";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTable, parseIsoOption } from "../format.ts";

const BATCH = 500;
const PROGRESS_EVERY = 1000;
const PREVIEW_ROWS = 5;

/** Queue stored events again as `call.event`, e.g. after fixing a mapping or merge bug. */
export async function replayCommand(args: string[], cli: CliContext): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      since: { type: "string" },
      until: { type: "string" },
      call: { type: "string" },
      trigger: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (!values.since) throw new CliError("--since is required: pnpm cli replay --since 2025-01-31T00:00:00Z [--until ...]");
  const filter: StoredEventFilter = {
    since: parseIsoOption("since", values.since),
    until: values.until === undefined ? undefined : parseIsoOption("until", values.until),
    cdrid: values.call,
    trigger: values.trigger?.toUpperCase(),
  };
  if (filter.until && filter.until <= filter.since) throw new CliError("--until must be later than --since");
  await cli.withDatabase(({ db }) => (values["dry-run"] ? preview(db, filter) : replay(cli, db, filter)));
}

async function preview(db: Db, filter: StoredEventFilter) {
  const count = await countEventsMatching(db, filter);
  console.log(`dry run: ${count} event(s) would be replayed`);
  if (count === 0) return;
  const first = await firstEventsMatching(db, filter, PREVIEW_ROWS);
  const rows = first.map((event) => [event.cdrid, event.trigger, event.receivedAt.toISOString()]);
  console.log(formatTable(["cdrid", "trigger", "received_at"], rows));
}

async function replay(cli: CliContext, db: Db, filter: StoredEventFilter) {
  let queued = 0;
  await cli.withQueues(async (queues) => {
    for await (const batch of eventsMatchingInBatches(db, filter, BATCH)) {
      await Promise.all(batch.map((event) => requeueEvent(queues, event, "replay")));
      const before = queued;
      queued += batch.length;
      if (Math.floor(queued / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) console.log(`queued ${queued} event(s)...`);
    }
  });
  console.log(queued === 0 ? "no events matched: nothing replayed" : `replayed ${queued} event(s) as call.event jobs`);
}
