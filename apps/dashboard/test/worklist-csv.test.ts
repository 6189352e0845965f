import { describe, expect, it } from "vitest";
import type { Worklist } from "../src/needs-attention/worklist.ts";
import { worklistCsv } from "../src/needs-attention/worklist-csv.ts";

const row = (detail: string) => ({
  reason: "task_failed",
  cdrid: "c-1",
  since: new Date("2026-12-01T10:00:00Z"),
  detail,
  next: "Nothing, for now",
});
const csvOf = (details: string[]) =>
  worklistCsv({ rows: details.map(row) } as unknown as Worklist, () => "Task failed in AuditorIA")
    .trim()
    .split("\r\n")
    .slice(1);

describe("the worklist CSV", () => {
  it("quotes commas, quotes and line breaks so each row stays one record", () => {
    // Records end in CRLF; a bare line break inside a quoted field is part of the field.
    expect(csvOf(['AuditorIA said "no", then\nstopped'])).toEqual([
      'c-1,task_failed,Task failed in AuditorIA,2026-12-01T10:00:00.000Z,"AuditorIA said ""no"", then\nstopped","Nothing, for now"',
    ]);
  });

  it("never hands a spreadsheet a formula: a leading = + - @ is kept as text", () => {
    for (const cell of ['=HYPERLINK("http://evil.example")', "+1 crashed", "-x", "@SUM(A1)"]) {
      const [line] = csvOf([cell]);
      expect(line).toContain(`"'${cell.replace(/"/g, '""')}"`);
    }
  });
});
