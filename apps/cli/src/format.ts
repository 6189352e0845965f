import { CliError } from "./errors.ts";

/** Render rows as aligned columns under a header line. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** A listing on stdout: the table, or when there is nothing to list, a line saying how to make the first. */
export function printTable(headers: string[], rows: string[][], whenEmpty: string): void {
  console.log(rows.length === 0 ? whenEmpty : formatTable(headers, rows));
}

export function formatTime(value: Date | null | undefined, fallback = "-"): string {
  return value ? value.toISOString().replace("T", " ").slice(0, 19) : fallback;
}

/** Parse an ISO date-time option, naming the option and an example when it is not one. */
export function parseIsoOption(option: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(`--${option} must be an ISO date-time such as 2025-01-31T00:00:00Z (got "${value}")`);
  }
  return date;
}

export function parsePositiveInt(option: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new CliError(`--${option} must be a positive whole number (got "${value}")`);
  return Number(value);
}
