/** A CSV as Anura's panel exports it: `;` or `,` (whichever the header uses more), double-quoted fields. */
export function parseCsv(text: string): { headers: string[]; rows: Record<string, string>[] } {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const records = splitRecords(body, delimiter).filter((record) => record.some((cell) => cell.trim() !== ""));
  const headers = (records.shift() ?? []).map(normaliseHeader);
  const rows = records.map((cells) => Object.fromEntries(headers.map((header, i) => [header, (cells[i] ?? "").trim()])));
  return { headers, rows };
}

/** "Duración_total " → "duracion_total": lower case, no accents, runs of other characters as one `_`. */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

function splitRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      record.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      [record, cell] = [[], ""];
    } else cell += char;
  }
  if (cell !== "" || record.length > 0) records.push([...record, cell]);
  return records;
}
