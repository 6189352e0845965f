// International numbers (+ and 7+ digits), 7+ digit runs, and local "011 4567-8901" shapes.
const PHONE = /\+\d[\d\s().-]{5,}\d|\b\d{7,}\b|\b\d{2,4}[\s-]\d{4}[\s-]?\d{4}\b/g;
const QUERY = /(https?:\/\/[^\s"'?#]+)\?[^\s"'#]*/gi;
const SECRET_HEADER = /((?:x-api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

/** Scrub free text (messages, error strings) of phone numbers, secrets and recording URL tokens. */
export function redactText(text: string): string {
  return text.replace(QUERY, "$1?[redacted]").replace(SECRET_HEADER, "$1[redacted]").replace(PHONE, "[redacted-number]");
}

/** A URL safe to log: scheme, host and path only (recording links may carry tokens in the query). */
export function safeUrl(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "[unparseable-url]";
  }
}

const SENSITIVE_FIELDS = [
  "calling",
  "called",
  "callingname",
  "calledname",
  "ani_tel",
  "aniTel",
  "phone",
  "queueagentname",
  "accountname",
  "answeraccount",
  "terminalname",
  "apiKey",
  "api_key",
  "key",
  "plainKey",
  "password",
  "secret",
  "authorization",
  "cookie",
  "audio_file_mp3",
  "audio_file_wav",
  "audio_file_ogg",
  "recordingUrl",
];

/** pino redact paths: each sensitive field at the top level and one or two levels down. */
export const REDACT_PATHS = [
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
  ...SENSITIVE_FIELDS.map((field) => `*.*.${field}`),
  'req.headers["x-api-key"]',
  "req.headers.authorization",
];
