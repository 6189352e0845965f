import { AnuraApiError } from "./errors.ts";

/** At most this much of one answer is read: a CDR list of a short window is a few MB. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One request with a deadline; the answer's body is read whole, up to MAX_ANSWER_BYTES. */
export async function request(url: URL, init: RequestInit, timeoutMs: number, what: string): Promise<HttpAnswer> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { ...init, signal, redirect: "error" });
  } catch (error) {
    throw transportError(error, what, timeoutMs);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await response.body?.cancel().catch(() => {});
        throw new AnuraApiError("too_large", `${what}: answer larger than ${MAX_ANSWER_BYTES} bytes`, response.status);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AnuraApiError) throw error;
    throw transportError(error, what, timeoutMs);
  }
  return { status: response.status, text: Buffer.concat(chunks).toString("utf8") };
}

function transportError(error: unknown, what: string, timeoutMs: number): AnuraApiError {
  const name = (error as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new AnuraApiError("timeout", `${what}: no answer within ${timeoutMs} ms`);
  }
  const cause = (error as { cause?: { code?: string } }).cause;
  return new AnuraApiError("network", `${what}: ${cause?.code ?? (error as Error).message ?? "request failed"}`);
}

/** JSON of an answer, or a `malformed` error saying how long it was: never a piece of the body, which holds phone numbers. */
export function parseJson(answer: HttpAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    // JSON.parse's own message quotes the text around the fault.
    throw new AnuraApiError("malformed", `${what}: answer is not JSON (${answer.text.length} characters)`, answer.status);
  }
}

/** An HTTP error status as an error that says which endpoint answered what. */
export function statusError(answer: HttpAnswer, what: string): AnuraApiError {
  return new AnuraApiError(
    answer.status === 401 || answer.status === 403 ? "auth" : "http",
    `${what}: HTTP ${answer.status}`,
    answer.status,
  );
}
