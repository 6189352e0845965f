import { repairTemplateJson } from "./repair-template-json.ts";

export type ParsedBody =
  | { ok: true; fields: Record<string, unknown>; encoding: "json" | "urlencoded" | "multipart" }
  | { ok: false; status: 400 | 415; error: string };

/** Anura's fields are flat; a little nesting is kept in `extra`, deep nesting is refused. */
export const MAX_NESTING = 8;

const SUPPORTED = "application/json, application/x-www-form-urlencoded, multipart/form-data or text/plain";

/** Turn a raw webhook body into a flat field record, whatever encoding Anura was configured with. */
export async function parseBody(raw: string, contentType: string | undefined): Promise<ParsedBody> {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/json" || mediaType.endsWith("+json")) return parseJson(raw);
  if (mediaType === "application/x-www-form-urlencoded") return parseUrlEncoded(raw);
  if (mediaType === "multipart/form-data") return parseMultipart(raw, contentType as string);
  if (mediaType === "" || mediaType === "text/plain") return sniff(raw);
  return { ok: false, status: 415, error: `unsupported Content-Type "${mediaType}": send ${SUPPORTED}` };
}

function sniff(raw: string): ParsedBody {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{")) return parseJson(trimmed);
  if (/^[^=&\s]+=/.test(trimmed)) return parseUrlEncoded(trimmed);
  return { ok: false, status: 400, error: "body is neither a JSON object nor URL-encoded key=value pairs" };
}

function parseJson(raw: string): ParsedBody {
  if (raw.trim() === "") return { ok: false, status: 400, error: "body is empty: send the event as a JSON object" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Only a body that is not JSON as sent pays for the template repair.
    try {
      value = JSON.parse(repairTemplateJson(raw));
    } catch (error) {
      return { ok: false, status: 400, error: `body is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, error: "body must be a JSON object with the event's fields" };
  }
  if (nestedDeeperThan(value, MAX_NESTING)) {
    return { ok: false, status: 400, error: `body is nested deeper than ${MAX_NESTING} levels: send the event's fields flat` };
  }
  return { ok: true, fields: value as Record<string, unknown>, encoding: "json" };
}

function parseUrlEncoded(raw: string): ParsedBody {
  return { ok: true, fields: Object.fromEntries(new URLSearchParams(raw)), encoding: "urlencoded" };
}

async function parseMultipart(raw: string, contentType: string): Promise<ParsedBody> {
  if (!/boundary=/i.test(contentType)) {
    return { ok: false, status: 400, error: "multipart/form-data without a boundary parameter in Content-Type" };
  }
  try {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
    return { ok: true, fields, encoding: "multipart" };
  } catch {
    return { ok: false, status: 400, error: "multipart body could not be parsed: check the boundary and part headers" };
  }
}

function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => nestedDeeperThan(child, limit - 1));
}
