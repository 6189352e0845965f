import { type CallState, pendingFileName } from "@anura/call-domain";
import type postgres from "postgres";
import type { DbOrTx } from "../client.ts";
import { eq } from "../drizzle.ts";
import { callLogs } from "../schema/index.ts";

// The one place that decides AuditorIA's call_logs columns: the merge's upsert and the stored recording's
// update both take their values and their SQL from here.

export async function findCallLog(tx: DbOrTx, callId: string) {
  const [row] = await tx.select().from(callLogs).where(eq(callLogs.callId, callId));
  return row ?? null;
}

/** The columns that come from a mapped call's events; file name and url come from its stored recording. */
export interface CallLogFields {
  date: string | null;
  campaignId: number;
  operatorId: number;
  aniTel: string | null;
  direction: string | null;
  callStartDate: string | null;
  callEndDate: string | null;
  sectot: number | null;
  uploadBy: string;
  log: string;
  pendingFileName: string;
}

/** What mapped the call, and on what evidence (said in the call log's `log`). */
export interface CallLogMapping {
  campaign: { campaignId: number; source: string };
  operator: { operatorId: number; source: string };
}

export function callLogFields(state: CallState, mapping: CallLogMapping, uploadBy: string): CallLogFields {
  const { campaign, operator } = mapping;
  return {
    date: state.startedAt,
    campaignId: campaign.campaignId,
    operatorId: operator.operatorId,
    aniTel: state.aniTel?.slice(0, 30) ?? null, // AuditorIA's varchar(30)
    direction: state.direction,
    callStartDate: state.startedAt,
    callEndDate: state.endedAt,
    sectot: state.duration === null ? null : Math.round(state.duration),
    uploadBy,
    log: `anura events ${state.triggers.join(",")}; campaign from ${campaign.source}; operator from ${operator.source}`,
    pendingFileName: pendingFileName(state.cdrid),
  };
}

// file_name is the call log's primary key: the recording's name once stored, until then what `otherwise` says.
const fileNameOf = (sql: postgres.Sql | postgres.TransactionSql, call: "saved" | "stored", otherwise: postgres.Fragment) =>
  sql`coalesce(${sql(call)}.recording_file_name, ${otherwise})`;
// pendingFileName's prefix, its underscore escaped for LIKE.
const PLACEHOLDER_LIKE = "pending\\_%";

/**
 * `logged`, a `with` step upserting the call log of each mapped call that the step `saved` just wrote
 * (its row still locked, so call logs are written in version order), with the CallLogFields that the
 * step `input` holds as JSON in `log`; `saved` is read for the recording, which a download may have
 * stored since the merge read the call.
 */
export function upsertCallLogsStep(sql: postgres.Sql) {
  return sql`logged as (
    insert into call_logs (file_name, url, call_id, date, campaign_id, operator_id, ani_tel, direction,
      call_start_date, call_end_date, sectot, upload_by, log)
    select ${fileNameOf(sql, "saved", sql`input.log->>'pendingFileName'`)}, saved.recording_key, saved.cdrid,
      (input.log->>'date')::timestamp, (input.log->>'campaignId')::int, (input.log->>'operatorId')::int,
      input.log->>'aniTel', input.log->>'direction', (input.log->>'callStartDate')::timestamp,
      (input.log->>'callEndDate')::timestamp, (input.log->>'sectot')::int, input.log->>'uploadBy', input.log->>'log'
    from saved join input using (cdrid)
    where input.log is not null
    order by saved.cdrid
    on conflict (call_id) do update set
      -- The placeholder is replaced once, when the recording is stored; a stored url is kept.
      file_name = case when call_logs.file_name like ${PLACEHOLDER_LIKE} then excluded.file_name else call_logs.file_name end,
      url = coalesce(excluded.url, call_logs.url),
      date = excluded.date, campaign_id = excluded.campaign_id, operator_id = excluded.operator_id,
      ani_tel = excluded.ani_tel, direction = excluded.direction, call_start_date = excluded.call_start_date,
      call_end_date = excluded.call_end_date, sectot = excluded.sectot, upload_by = excluded.upload_by,
      log = excluded.log, updated_at = now())`;
}

/** `logged`, a `with` step giving the call log of the call that the step `stored` just gave a recording its file name and url. */
export function callLogRecordingStep(sql: postgres.TransactionSql) {
  return sql`logged as (
    update call_logs set file_name = ${fileNameOf(sql, "stored", sql`call_logs.file_name`)}, url = stored.recording_key, updated_at = now()
    from stored where call_logs.call_id = stored.cdrid)`;
}
