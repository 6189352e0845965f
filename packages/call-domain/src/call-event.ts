import { z } from "zod";
import { boolean, number, text } from "./coerce.ts";
import { parseDialtime } from "./dialtime.ts";

export const KNOWN_TRIGGERS = ["START", "TALK", "END", "RECORDING", "ORIGINATE"] as const;

/** The fields we read; everything else Anura sends is kept verbatim in `extra`. */
const known = {
  hooktrigger: text(64).refine((v) => v !== null, "required: the event type (START, TALK, END, ...)"),
  cdrid: text(36).refine((v) => v !== null, "required: Anura's call id, non-empty"),
  dialtime: text(40),
  direction: text(50),
  calling: text(64),
  called: text(64),
  status: text(64),
  duration: number,
  billseconds: number,
  price: number,
  wasrecorded: boolean,
  audio_file_mp3: text(2048),
  audio_file_wav: text(2048),
  audio_file_ogg: text(2048),
  accounttags: text(1000),
  queueagentname: text(255),
  queueagentextension: text(64),
  answerextension: text(64),
  hookid: text(64),
  hookname: text(255),
  tenantid: text(64),
  accountid: text(64),
};

// Every field is nullable (absent and blank both mean null); only the refinements make some required.
const schema = z.object(known);
const KNOWN_FIELDS = new Set(Object.keys(known));

const nullableText = z.string().nullable().default(null);
const nullableNumber = z.number().nullable().default(null);

/**
 * One Anura event, normalised: trimmed, typed, dialtime in UTC, unknown fields kept in `extra`.
 * The call.event job carries it; fields missing from events stored by older versions read as null.
 */
export const callEventSchema = z.object({
  trigger: z.string().min(1),
  cdrid: z.string().min(1).max(36),
  dialtime: nullableText,
  direction: nullableText,
  calling: nullableText,
  called: nullableText,
  status: nullableText,
  duration: nullableNumber,
  billseconds: nullableNumber,
  price: nullableNumber,
  wasrecorded: z.boolean().nullable().default(null),
  recordingUrl: nullableText,
  accounttags: nullableText,
  queueagentname: nullableText,
  queueagentextension: nullableText,
  answerextension: nullableText,
  hookid: nullableText,
  tenantid: nullableText,
  accountid: nullableText,
  // Anura's other fields, kept verbatim: only their container is checked, not each value.
  extra: z
    .custom<Record<string, unknown>>((value) => typeof value === "object" && value !== null && !Array.isArray(value))
    .default({}),
});

export type CallEvent = z.output<typeof callEventSchema>;

export type NormaliseResult = { ok: true; event: CallEvent } | { ok: false; issues: FieldIssue[] };
export interface FieldIssue {
  field: string;
  message: string;
}

export function normaliseEvent(fields: Record<string, unknown>, timeZone: string): NormaliseResult {
  const lowered = lowerCaseKeys(fields);
  const parsed = schema.safeParse(lowered);
  const issues: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "body"), message: i.message }));
  const data = (parsed.success ? parsed.data : {}) as Record<string, unknown>;

  let dialtime: string | null = null;
  const rawDialtime = typeof lowered.dialtime === "string" ? lowered.dialtime.trim() : null;
  if (rawDialtime) {
    const date = parseDialtime(rawDialtime, timeZone);
    if (date) dialtime = date.toISOString();
    else issues.push({ field: "dialtime", message: "expected YYYY-MM-DD HH:MM:SS, DD/MM/YYYY HH:MM:SS or ISO 8601" });
  }
  if (issues.length > 0) return { ok: false, issues };

  const str = (key: string) => (data[key] ?? null) as string | null;
  // Defined, not assigned, so a "__proto__" field stays a field; a plain object serialises twice as fast as a null-prototype one.
  const extra = Object.fromEntries(Object.entries(lowered).filter(([key]) => !KNOWN_FIELDS.has(key)));
  return {
    ok: true,
    event: {
      trigger: (str("hooktrigger") as string).toUpperCase(),
      cdrid: str("cdrid") as string,
      dialtime,
      direction: str("direction")?.toLowerCase() ?? null,
      calling: str("calling"),
      called: str("called"),
      status: str("status"),
      duration: (data.duration ?? null) as number | null,
      billseconds: (data.billseconds ?? null) as number | null,
      price: (data.price ?? null) as number | null,
      wasrecorded: (data.wasrecorded ?? null) as boolean | null,
      recordingUrl: str("audio_file_mp3") ?? str("audio_file_wav") ?? str("audio_file_ogg"),
      accounttags: str("accounttags"),
      queueagentname: str("queueagentname"),
      queueagentextension: str("queueagentextension"),
      answerextension: str("answerextension"),
      hookid: str("hookid"),
      tenantid: str("tenantid"),
      accountid: str("accountid"),
      extra,
    },
  };
}

/** Field names are matched trimmed and lower-cased; Anura's usually are already, so that case costs no copy. */
function lowerCaseKeys(fields: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(fields)) {
    if (key !== key.trim().toLowerCase()) {
      return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.trim().toLowerCase(), v]));
    }
  }
  return fields;
}
