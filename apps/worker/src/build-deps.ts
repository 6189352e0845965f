import type { WorkerEnv } from "@anura/config";
import type { Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues } from "@anura/queue";
import type { RecordingStore } from "@anura/storage";
import type { WorkerDeps } from "./deps.ts";
import type { WorkerMetrics } from "./ops/metrics.ts";
import { AddressGuard } from "./recording/address-guard.ts";

/** Turn the parsed environment into the typed settings jobs use. */
export function buildWorkerDeps(
  env: WorkerEnv,
  clients: { db: Db; queues: Queues; store: RecordingStore; log: Logger; metrics: WorkerMetrics },
): WorkerDeps {
  return {
    ...clients,
    mapping: { defaultCampaignId: env.ANURA_DEFAULT_CAMPAIGN_ID, defaultOperatorId: env.ANURA_DEFAULT_OPERATOR_ID },
    task: { model: env.TRANSCRIPTION_MODEL, device: env.TRANSCRIPTION_DEVICE, username: env.TASK_USERNAME },
    recording: {
      guard: new AddressGuard(env.RECORDING_ALLOWED_HOSTS),
      maxBytes: env.RECORDING_MAX_BYTES,
      connectTimeoutMs: env.RECORDING_CONNECT_TIMEOUT * 1000,
      idleTimeoutMs: env.RECORDING_IDLE_TIMEOUT * 1000,
      auth: parseAuthHeader(env.ANURA_RECORDING_AUTH),
      retryDelaysSeconds: env.RECORDING_RETRY_DELAYS,
      retryHorizonMs: env.RECORDING_RETRY_HORIZON * 1000,
    },
  };
}

/** "Authorization: Bearer x" → { name, value }; a bare value is sent as Authorization. */
function parseAuthHeader(raw: string | undefined): { name: string; value: string } | undefined {
  if (!raw) return undefined;
  const match = /^([A-Za-z0-9-]+):\s*(.+)$/.exec(raw);
  return match ? { name: match[1] as string, value: match[2] as string } : { name: "Authorization", value: raw };
}
