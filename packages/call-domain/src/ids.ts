import { createHash } from "node:crypto";
import { parse as parseUuid, v5 as uuidv5 } from "uuid";

// Fixed forever: changing it would give every call a new task id and break idempotency.
// Parsed once, and names given as UTF-8 bytes: uuid's v5 would convert both on every call (2.5x the time).
const TASK_NAMESPACE = parseUuid("3f0c7a52-9a5e-4d1b-8a43-6b0d2c1e7f19");

/** The AuditorIA task uuid for a call: the same cdrid always yields the same task. */
export function taskIdFor(cdrid: string): string {
  return uuidv5(Buffer.from(`anura:${cdrid}`), TASK_NAMESPACE);
}

/** A file-name-safe form of the cdrid; a short hash keeps sanitised ids from colliding. */
export function safeCallId(cdrid: string): string {
  if (/^[A-Za-z0-9._-]{1,36}$/.test(cdrid)) return cdrid;
  const hash = createHash("sha256").update(cdrid).digest("hex").slice(0, 10);
  return `${cdrid.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 24)}-${hash}`;
}

export function recordingFileName(cdrid: string, extension: string): string {
  return `anura_${safeCallId(cdrid)}.${extension}`;
}

export function recordingObjectKey(cdrid: string, extension: string): string {
  return `anura/${recordingFileName(cdrid, extension)}`;
}

/** Until the recording is stored, the call log needs a unique placeholder for its file_name key. */
export function pendingFileName(cdrid: string): string {
  return `pending_${safeCallId(cdrid)}.tmp`;
}

/** The id of the END event reconciliation makes from a call's CDR: one per call, so a recovery is never queued twice. */
export function cdrEventIdFor(cdrid: string): string {
  return uuidv5(Buffer.from(`anura-cdr:${cdrid}`), TASK_NAMESPACE);
}
