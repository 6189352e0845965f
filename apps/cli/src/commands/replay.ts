import { parseArgs } from "node:util";
import type { DbHandle } from "@anura/db";
import { withDatabase, withQueues } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTable, parseIsoOption } from "../format.ts";
import { eventColumns, requeueEvent, type StoredEvent } from "../stored-events.ts";

const BATCH = 500;
const PROGRESS_EVERY = 1000;
const PREVIEW_ROWS = 5;

interface ReplayFilter {
  since: Date;
  until?: Date;
  cdrid?: string;
  trigger?: string;
}

/** Queue stored events again as `call.event`, e.g. after fixing a mapping or derivation bug. */
export async function replayCommand(args: string[]): Promise<void> {
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
  const filter: ReplayFilter = {
    since: parseIsoOption("since", values.since),
    until: values.until === undefined ? undefined : parseIsoOption("until", values.until),
    cdrid: values.call,
    trigger: values.trigger?.toUpperCase(),
  };
  if (filter.until && filter.until <= filter.since) throw new CliError("--until must be later than --since");
  await withDatabase(({ sql }) => (values["dry-run"] ? preview(sql, filter) : replay(sql, filter)));
}

function whereClause(sql: DbHandle["sql"], filter: ReplayFilter) {
  const none = sql``;
  // ISO text, not Date: drizzle replaces the driver's Date serializer on this connection.
  return sql`where received_at >= ${filter.since.toISOString()}::timestamptz
    ${filter.until ? sql`and received_at < ${filter.until.toISOString()}::timestamptz` : none}
    ${filter.cdrid ? sql`and cdrid = ${filter.cdrid}` : none}
    ${filter.trigger ? sql`and trigger = ${filter.trigger}` : none}`;
}

async function preview(sql: DbHandle["sql"], filter: ReplayFilter) {
  const [{ count } = { count: 0 }] = await sql<
    { count: number }[]
  >`select count(*)::int as count from anura_events ${whereClause(sql, filter)}`;
  console.log(`dry run: ${count} event(s) would be replayed`);
  if (count === 0) return;
  const first = await sql<StoredEvent[]>`
    select ${eventColumns(sql)} from anura_events ${whereClause(sql, filter)}
    order by anura_events.received_at, anura_events.id limit ${PREVIEW_ROWS}`;
  const rows = first.map((event) => [event.cdrid, event.trigger, event.received_at]);
  console.log(formatTable(["cdrid", "trigger", "received_at"], rows));
}

async function replay(sql: DbHandle["sql"], filter: ReplayFilter) {
  const events = sql<StoredEvent[]>`
    select ${eventColumns(sql)} from anura_events ${whereClause(sql, filter)}
    order by anura_events.received_at, anura_events.id`;
  let queued = 0;
  await withQueues(async (queues) => {
    for await (const batch of events.cursor(BATCH)) {
      await Promise.all(batch.map((event) => requeueEvent(queues, event, "replay")));
      const before = queued;
      queued += batch.length;
      if (Math.floor(queued / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) console.log(`queued ${queued} event(s)...`);
    }
  });
  console.log(queued === 0 ? "no events matched: nothing replayed" : `replayed ${queued} event(s) as call.event jobs`);
}
