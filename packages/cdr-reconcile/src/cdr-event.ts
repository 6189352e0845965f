import type { Cdr, RecordingLink } from "@anura/anura-api";
import { cdrEventIdFor, normaliseEvent } from "@anura/call-domain";
import type { JobData } from "@anura/queue";

/**
 * The call.event job for a CDR: the END its webhook would have brought, from the CDR's facts, through
 * the webhook's own normalisation, so it is mapped, fetched and tasked like any END. It is dated at the
 * call's hangup, so a real END (received after hangup) outranks its fields whenever both arrive.
 */
export function cdrEndEvent(cdr: Cdr, link: RecordingLink | null, timeZone: string): JobData<"call.event"> {
  const result = normaliseEvent(
    {
      hooktrigger: "END",
      cdrid: cdr.cdrid,
      dialtime: cdr.dialtime,
      direction: cdr.direction,
      calling: cdr.calling,
      called: cdr.called,
      status: cdr.status,
      duration: cdr.duration,
      billseconds: cdr.billseconds,
      wasrecorded: Boolean(link?.url),
      audio_file_mp3: link?.url ?? null,
      accounttags: cdr.accounttags,
      answerextension: cdr.answerextension,
      queueagentextension: cdr.queueagentextension,
      queueagentname: cdr.queueagentname,
      // Unknown to the schema, so kept in `extra`: what the call's timeline and the alert read.
      accountname: cdr.accountname,
      source: "cdr",
      recording_unavailable: link && link.url === null ? link.reason : null,
    },
    timeZone,
  );
  if (!result.ok) throw new Error(`CDR ${cdr.cdrid}: ${result.issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
  return { eventId: cdrEventIdFor(cdr.cdrid), receivedAt: cdr.endedAt, event: result.event };
}
