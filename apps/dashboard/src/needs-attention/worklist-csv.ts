import type { Worklist } from "./worklist.ts";

const COLUMNS = ["cdrid", "reason", "reason_text", "since_utc", "what_is_wrong", "if_nobody_acts"] as const;

/** The worklist's rows for a spreadsheet (RFC 4180): the same rows as the page, which never carry a phone number. */
export function worklistCsv(worklist: Worklist, labelOf: (reason: string) => string): string {
  const lines = [COLUMNS.join(",")];
  for (const row of worklist.rows) {
    lines.push(
      [row.cdrid, row.reason, labelOf(row.reason), row.since.toISOString(), row.detail, row.next].map(csvField).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

// A leading =, +, - or @ would be run as a formula by a spreadsheet: quote it behind an apostrophe.
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
