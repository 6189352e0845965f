import { parseDialtime } from "@anura/call-domain";
import type { Db } from "@anura/db";
import { parseCsv } from "./csv.ts";

// Column names as normalised by normaliseHeader; the first present wins. Anura's raw spellings are not known.
const ID_COLUMNS = ["cdrid", "cdr_id", "id", "id_llamada", "idllamada", "uniqueid", "call_id"];
const DATE_COLUMNS = ["fecha", "fecha_hora", "dialtime", "dial_time", "date", "inicio"];
const ORIGIN_COLUMNS = ["nro_origen", "origen", "calling", "numero_origen"];
const DESTINATION_COLUMNS = ["nro_destino_limpio", "nro_destino", "destino", "called"];
const DURATION_COLUMNS = ["duracion_total", "duracion", "duration"];
const STATUS_COLUMNS = ["estado", "status"];
/** A CSV row without an id matches a call that started within this many seconds, from the same number. */
const TOLERANCE_SECONDS = 2;

export interface MissingCall {
  line: number;
  cdrid: string | null;
  dialtime: string | null;
  status: string | null;
  duration: string | null;
  /** The caller's last four digits: enough to find the call in the panel, not to identify the person. */
  caller: string | null;
}

export interface CsvCheck {
  rows: number;
  matchedBy: "cdrid" | "start time and caller";
  found: number;
  missing: MissingCall[];
  unreadable: { line: number; reason: string }[];
}

/** Which of the CSV's calls we do not hold: by cdrid when the export has one, else by start time and caller. */
export async function checkCsv(db: Db, text: string, timeZone: string): Promise<CsvCheck> {
  const { headers, rows } = parseCsv(text);
  const column = (names: string[]) => names.find((name) => headers.includes(name));
  const [idColumn, dateColumn, originColumn] = [column(ID_COLUMNS), column(DATE_COLUMNS), column(ORIGIN_COLUMNS)];
  const [durationColumn, statusColumn, destinationColumn] = [
    column(DURATION_COLUMNS),
    column(STATUS_COLUMNS),
    column(DESTINATION_COLUMNS),
  ];
  if (!idColumn && !dateColumn) {
    throw new Error(
      `the CSV has neither a call id column (${ID_COLUMNS.join(", ")}) nor a date column (${DATE_COLUMNS.join(", ")}); its columns: ${headers.join(", ")}`,
    );
  }
  const result: CsvCheck = {
    rows: rows.length,
    matchedBy: idColumn ? "cdrid" : "start time and caller",
    found: 0,
    missing: [],
    unreadable: [],
  };
  const parsed = rows.map((row, index) => {
    const raw = dateColumn ? row[dateColumn] : undefined;
    const date = raw ? parseDialtime(raw, timeZone) : null;
    const number = (name: string | undefined) => (name ? (row[name] ?? "").replace(/\D/g, "") : "");
    const [digits, destination] = [number(originColumn), number(destinationColumn)];
    const numbers = [digits, destination].filter((n) => n.length >= 6);
    return { line: index + 2, row, date, digits, numbers, cdrid: idColumn ? row[idColumn] || null : null };
  });
  const held = idColumn
    ? await heldById(
        db,
        parsed.flatMap((p) => (p.cdrid ? [p.cdrid] : [])),
      )
    : await heldByTime(db, parsed);
  for (const p of parsed) {
    if (idColumn ? !p.cdrid : !p.date) {
      result.unreadable.push({
        line: p.line,
        reason: idColumn ? "no call id" : `date "${p.row[dateColumn as string] ?? ""}" not readable`,
      });
      continue;
    }
    if (held(p)) {
      result.found++;
      continue;
    }
    result.missing.push({
      line: p.line,
      cdrid: p.cdrid,
      dialtime: p.date?.toISOString() ?? null,
      status: statusColumn ? (p.row[statusColumn] ?? null) : null,
      duration: durationColumn ? (p.row[durationColumn] ?? null) : null,
      caller: p.digits ? `…${p.digits.slice(-4)}` : null,
    });
  }
  return result;
}

type Parsed = { cdrid: string | null; date: Date | null; numbers: string[] };

async function heldById(db: Db, cdrids: string[]): Promise<(p: Parsed) => boolean> {
  const rows =
    cdrids.length === 0
      ? []
      : await db.$client<{ cdrid: string }[]>`select cdrid from anura_calls where cdrid = any(${cdrids}::text[])`;
  const known = new Set(rows.map((row) => row.cdrid));
  return (p) => known.has(p.cdrid as string);
}

async function heldByTime(db: Db, parsed: Parsed[]): Promise<(p: Parsed) => boolean> {
  const times = parsed.flatMap((p) => (p.date ? [p.date.getTime()] : []));
  if (times.length === 0) return () => false;
  const from = new Date(Math.min(...times) - TOLERANCE_SECONDS * 1000).toISOString();
  const to = new Date(Math.max(...times) + TOLERANCE_SECONDS * 1000).toISOString();
  const rows = await db.$client<{ started: string; ani: string | null }[]>`
    select state->>'startedAt' as started, state->>'aniTel' as ani from anura_calls
    where (state->>'startedAt')::timestamptz between ${from}::timestamptz and ${to}::timestamptz`;
  const calls = rows.map((row) => ({ at: Date.parse(row.started), digits: (row.ani ?? "").replace(/\D/g, "") }));
  return (p) =>
    calls.some(
      (call) =>
        Math.abs(call.at - (p.date as Date).getTime()) <= TOLERANCE_SECONDS * 1000 &&
        // We keep the customer's number (the caller inbound, the called outbound), as Anura sent it, with or
        // without a country prefix: either of the row's numbers may match it, on its last 8 digits.
        (p.numbers.length === 0 || !call.digits || p.numbers.some((n) => n.slice(-8) === call.digits.slice(-8))),
    );
}
