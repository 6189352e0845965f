import type { Db } from "@anura/db";
import type { Queues } from "@anura/queue";
import type { AttentionContext, AttentionRow } from "./attention-row.ts";
import { type AttentionSource, REASONS, type Reason, reasonById } from "./reasons.ts";
import { type RecordingProblems, recordingProblems } from "./recording-problems.ts";

export const PAGE_SIZE = 50;
/** The CSV and the deepest page stop here: past it, filter by reason. */
export const MAX_ROWS = 10_000;

export interface WorklistRequest {
  /** A reason id, or null for every reason. */
  reason: string | null;
  /** 1-based. */
  page: number;
}

export interface Worklist {
  request: WorklistRequest;
  counts: { reason: Reason; total: number }[];
  /** Rows of the requested page, newest problem first. */
  rows: AttentionRow[];
  /** How many rows the filter has in all. */
  total: number;
  pageSize: number;
  /** Only the newest RECORDING_CANDIDATES (recording-problems.ts) recorded calls without a recording were looked up in BullMQ. */
  recordingsTruncated: boolean;
}

/** Read `?reason=` and `?page=`; an unknown reason or a page past MAX_ROWS says what to use instead. */
export function parseWorklistRequest(query: Record<string, unknown>): WorklistRequest | { problem: string } {
  const reason = typeof query.reason === "string" && query.reason !== "" ? query.reason : null;
  if (reason !== null && !reasonById(reason)) {
    return { problem: `unknown reason "${reason}": use one of ${REASONS.map((r) => r.id).join(", ")}, or none for all` };
  }
  const rawPage = typeof query.page === "string" && query.page !== "" ? query.page : "1";
  const page = Number(rawPage);
  const lastPage = MAX_ROWS / PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > lastPage) {
    return {
      problem: `page must be a whole number from 1 to ${lastPage} (got "${rawPage}"): filter by reason to see fewer rows`,
    };
  }
  return { reason, page };
}

export function attentionSource(db: Db, queues: Queues, context: AttentionContext): AttentionSource {
  let recordings: Promise<RecordingProblems> | undefined;
  // Both recording reasons read the same BullMQ lookup: done once per request.
  return { db, queues, context, recordings: () => (recordings ??= recordingProblems(db, queues, context)) };
}

/** Counts per reason and one page of rows (or `pageSize` rows from the first, for the CSV). */
export async function loadWorklist(source: AttentionSource, request: WorklistRequest, pageSize = PAGE_SIZE): Promise<Worklist> {
  const offset = (request.page - 1) * pageSize;
  const loaded = await Promise.all(
    REASONS.map(async (reason) => {
      const shown = request.reason === null || request.reason === reason.id;
      // Every reason: the newest offset + pageSize of each are enough to cut the merged page.
      const query = !shown
        ? { limit: 0, offset: 0 }
        : request.reason === null
          ? { limit: offset + pageSize, offset: 0 }
          : { limit: pageSize, offset };
      return { reason, ...(await reason.load(source, query)) };
    }),
  );
  const merged = loaded.flatMap((entry) => entry.rows).sort((a, b) => b.since.getTime() - a.since.getTime());
  const counts = loaded.map(({ reason, total }) => ({ reason, total }));
  const shownCounts = counts.filter((count) => request.reason === null || count.reason.id === request.reason);
  return {
    request,
    counts,
    rows: request.reason === null ? merged.slice(offset, offset + pageSize) : merged,
    total: shownCounts.reduce((sum, count) => sum + count.total, 0),
    pageSize,
    // The counts of the recording reasons need the lookup anyway, whichever reason is shown.
    recordingsTruncated: (await source.recordings()).truncated,
  };
}
