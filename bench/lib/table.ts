/** One line of the results table; numbers stay numbers for latest.json. */
export interface Row {
  measure: string;
  unit: string;
  project: number | null;
  baseline: number | null;
  baselineName?: string;
  ratio: number | null;
  /** e.g. "≥ 0.6×", "≤ 10 ms"; empty when the measure is informational. */
  goal: string;
  pass: boolean | null;
  note?: string;
}

function format(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return "—";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

export function renderTable(rows: Row[]): string {
  const header = ["measure", "project", "baseline", "ratio", "goal", "pass/fail"];
  const lines = rows.map((row) => [
    row.measure,
    format(row.project, row.unit),
    row.baseline === null ? "—" : `${format(row.baseline, row.unit)}${row.baselineName ? ` (${row.baselineName})` : ""}`,
    row.ratio === null ? "—" : `${row.ratio.toFixed(2)}×`,
    row.goal || "—",
    row.pass === null ? "info" : row.pass ? "PASS" : "FAIL",
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] as string).length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(" | ")} |`;
  return [render(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(render)].join("\n");
}
