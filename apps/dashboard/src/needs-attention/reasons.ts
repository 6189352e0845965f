import { campaignCandidates } from "@anura/call-domain";
import {
  type AttentionPage,
  type AttentionQuery,
  type Db,
  failedTasksPage,
  recordedWithoutLinkPage,
  recoveredCallsPage,
  stalledTasksPage,
  type TaskAttentionRow,
  type UnmappedCallRow,
  unmappedCallsPage,
} from "@anura/db";
import { redactText } from "@anura/logger";
import { type Queues, remapUnmappedCalls } from "@anura/queue";
import { formatDuration } from "../http/html.ts";
import { retryFetchNow } from "../overview/fetch-progress.ts";
import type { AttentionContext, AttentionRow } from "./attention-row.ts";
import type { RecordingProblems } from "./recording-problems.ts";

/** What a reason reads from: the stores, the settings, and the BullMQ classification (done once per request). */
export interface AttentionSource {
  db: Db;
  queues: Queues;
  context: AttentionContext;
  recordings(): Promise<RecordingProblems>;
}

export interface Reason {
  id: string;
  label: string;
  /** The newest rows after `offset`, and how many there are in all. */
  load(source: AttentionSource, query: AttentionQuery): Promise<{ total: number; rows: AttentionRow[] }>;
  /** One button for every call of this reason; `run` says how many calls it touched. */
  bulk?: { label: string; run(source: AttentionSource): Promise<number> };
}

/** A page of the database's rows, as the list's rows. */
async function pageRows<Row>(loading: Promise<AttentionPage<Row>>, toRow: (row: Row) => AttentionRow) {
  const page = await loading;
  return { total: page.total, rows: page.rows.map(toRow) };
}

/** Recovered calls are listed for a day: long enough to see which account loses webhooks, then they are history. */
const RECOVERED_WITHIN_SECONDS = 24 * 3600;

/** The same cap as the classification: a bulk action never touches more calls than the list shows. */
const REMAP_LIMIT = 100_000;

// One entry per reason, in the order the counts are shown. Adding a reason is adding an entry.
export const REASONS: Reason[] = [
  {
    id: "recording_failing",
    label: "Recording still failing after its first hour",
    load: async (source, query) => fromList((await source.recordings()).failing, query),
    bulk: { label: "Retry these downloads now", run: async (source) => retryAll(source, (await source.recordings()).failing) },
  },
  {
    id: "recording_given_up",
    label: "Recording given up",
    load: async (source, query) => fromList((await source.recordings()).givenUp, query),
    bulk: { label: "Retry these downloads now", run: async (source) => retryAll(source, (await source.recordings()).givenUp) },
  },
  {
    id: "unmapped",
    label: "Call unmapped (no campaign or operator)",
    load: (source, query) => pageRows(unmappedCallsPage(source.db, query), (row) => unmappedRow(row, source.context)),
    bulk: {
      label: "Remap all unmapped calls",
      run: async (source) => (await remapUnmappedCalls(source.db, source.queues, REMAP_LIMIT)).redriven,
    },
  },
  {
    id: "task_stalled",
    label: "Task pending in AuditorIA too long",
    load: async (source, query) => {
      const { stallAfterSeconds } = source.context.settings;
      return pageRows(stalledTasksPage(source.db, { ...query, stallAfterSeconds }), (row) =>
        taskRow("task_stalled", row, {
          detail: `Task ${row.taskUuid} still pending, longer than TRANSCRIPTION_STALL_AFTER (${formatDuration(stallAfterSeconds * 1000)})`,
          next: "Nothing on our side: AuditorIA's transcription workers take it when they run. Check that they do.",
        }),
      );
    },
  },
  {
    id: "task_failed",
    label: "Task failed in AuditorIA",
    load: (source, query) =>
      pageRows(failedTasksPage(source.db, query), (row) =>
        taskRow("task_failed", row, {
          detail: `AuditorIA marked task ${row.taskUuid} ${row.status}: ${row.error ? redactText(row.error) : "no error given"}`,
          next: "Nothing: AuditorIA does not run a failed task again by itself. Its logs say why it failed.",
        }),
      ),
  },
  {
    id: "recorded_without_link",
    label: "END says recorded, but no recording link",
    load: async (source, query) => {
      const olderThanSeconds = source.context.settings.recordingAfterSeconds;
      return pageRows(recordedWithoutLinkPage(source.db, { ...query, olderThanSeconds }), (row) => ({
        reason: "recorded_without_link",
        cdrid: row.cdrid,
        since: row.since,
        detail: "Anura's END said wasrecorded, but no event brought audio_file_mp3 (or another recording field)",
        next: "Nothing: the download starts only if a RECORDING event brings the link. Check Anura's body template.",
      }));
    },
  },
  {
    id: "recovered_from_cdr",
    label: "Recovered from Anura's CDR list: no webhook came (last 24 h)",
    load: (source, query) =>
      pageRows(recoveredCallsPage(source.db, { ...query, withinSeconds: RECOVERED_WITHIN_SECONDS }), (row) => ({
        reason: "recovered_from_cdr",
        cdrid: row.cdrid,
        since: row.since,
        detail: `No webhook reached us for this call; reconciliation found it in Anura's CDR list (account ${row.account})`,
        next: "The call goes on as any other (recording, task). Check that account's hooks in Anura: its webhooks are being lost.",
      })),
  },
];

function fromList(rows: AttentionRow[], query: AttentionQuery) {
  const sorted = [...rows].sort((a, b) => b.since.getTime() - a.since.getTime());
  return { total: rows.length, rows: sorted.slice(query.offset, query.offset + query.limit) };
}

async function retryAll(source: AttentionSource, rows: AttentionRow[]): Promise<number> {
  let retried = 0;
  for (const row of rows) if ((await retryFetchNow(source.queues, row.cdrid)).retried) retried++;
  return retried;
}

function unmappedRow(row: UnmappedCallRow, context: AttentionContext): AttentionRow {
  const { defaultCampaignId, defaultOperatorId } = context.settings.mapping;
  const missing: string[] = [];
  if (row.unmappedReason.includes("campaign")) {
    const tags = row.accounttags ? `accounttags "${row.accounttags}"` : "no accounttags";
    const named = campaignCandidates(row.accounttags);
    const names = named.length > 0 ? `names campaign ${named.join(", ")}, which does not exist` : "names no campaign";
    const fallback = defaultCampaignId === undefined ? "unset" : `${defaultCampaignId} (not an existing campaign)`;
    missing.push(`No campaign: ${tags} ${names}; ANURA_DEFAULT_CAMPAIGN_ID is ${fallback}`);
  }
  if (row.unmappedReason.includes("operator")) {
    const fallback = defaultOperatorId === undefined ? "unset" : String(defaultOperatorId);
    missing.push(`No operator: no agent extension or number in the agent name; ANURA_DEFAULT_OPERATOR_ID is ${fallback}`);
  }
  return {
    reason: "unmapped",
    cdrid: row.cdrid,
    since: row.since,
    detail: redactText(missing.join(". ")),
    next: "Nothing: it gets no task until it maps. Create the campaign (or set the default), then remap.",
  };
}

function taskRow(reason: string, row: TaskAttentionRow, text: { detail: string; next: string }): AttentionRow {
  return { reason, cdrid: row.cdrid, since: row.since, ...text };
}

export function reasonById(id: string): Reason | undefined {
  return REASONS.find((reason) => reason.id === id);
}
