// The development stand-ins `pnpm start` runs beside the apps: an embedded S3 when S3_ENDPOINT is
// unset, and, outside production, the sample-recording server that `pnpm cli simulate-call` uses and,
// unless ANURA_API_CLIENT_ID is set, a stand-in for Anura's token endpoint and CDR API.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { startAnuraStandIn } from "@anura/dev-anura-api";
import { startSampleRecordingServer } from "@anura/dev-recordings";
import { startEmbeddedS3 } from "@anura/dev-s3";
import type { Logger } from "@anura/logger";

export interface DevServiceOptions {
  production: boolean;
  s3Endpoint: string | undefined;
  s3Port: number;
  recordingsPort: number;
  recordingsHost: string;
  allowedHosts: string[] | undefined;
  anuraApiPort: number;
  /** Anura's API credentials were given (either one): no stand-in for it. */
  anuraApiGiven: boolean;
  /** A poll schedule as given wins over the stand-in's. */
  cdrPollSeconds: number | undefined;
  cdrSettleSeconds: number | undefined;
  log: Logger;
}

/** Starts what the options call for; `env` is what the apps must be given to use them. */
export async function startDevServices(options: DevServiceOptions) {
  const env: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  const close = () => Promise.all(closers.map((stop) => stop())).then(() => {});
  try {
    if (!options.s3Endpoint) {
      const directory = resolve(".data/s3");
      mkdirSync(directory, { recursive: true });
      const s3 = await onPort("DEV_S3_PORT", options.s3Port, () => startEmbeddedS3({ directory, port: options.s3Port }));
      closers.push(s3.close);
      Object.assign(env, { S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey });
      options.log.warn(
        `S3_ENDPOINT is unset: using an EMBEDDED DEVELOPMENT S3 at ${s3.endpoint} (data in .data/s3). ` +
          "Not for production: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY to your MinIO",
      );
    }
    if (!options.production) {
      const port = options.recordingsPort;
      const recordings = await onPort("DEV_RECORDINGS_PORT", port, () =>
        startSampleRecordingServer({ port, host: options.recordingsHost }),
      );
      closers.push(recordings.close);
      // Exactly this host is added: the SSRF guard stays on for every other private address.
      env.RECORDING_ALLOWED_HOSTS = [...(options.allowedHosts ?? []), recordings.host].join(",");
      options.log.info(
        `sample recordings at ${recordings.baseUrl}/recordings/<name>.mp3 (development only, for \`pnpm cli simulate-call\`); ` +
          `the worker fetches recordings from RECORDING_ALLOWED_HOSTS=${env.RECORDING_ALLOWED_HOSTS}`,
      );
    }
    if (!options.production && !options.anuraApiGiven) {
      const port = options.anuraApiPort;
      // Its own client id and a secret made up at every start, as a real Anura client would have.
      const standIn = await onPort("DEV_ANURA_API_PORT", port, () =>
        startAnuraStandIn({ clientId: "dev-anura-client", clientSecret: randomBytes(18).toString("base64url"), port }),
      );
      closers.push(standIn.close);
      // A short schedule, so `simulate-call --webhook-lost` sees its call recovered within seconds.
      Object.assign(env, standIn.env, {
        ANURA_CDR_POLL_SECONDS: String(options.cdrPollSeconds ?? 10),
        ANURA_CDR_SETTLE_SECONDS: String(options.cdrSettleSeconds ?? 5),
      });
      options.log.info(
        `stand-in for Anura's token endpoint and CDR API at ${standIn.baseUrl} (development only, for \`pnpm cli simulate-call --webhook-lost\`); ` +
          `the worker reconciles with it every ${env.ANURA_CDR_POLL_SECONDS} s. Set ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET to use Anura's`,
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { env, close };
}

async function onPort<T>(variable: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    throw new Error(`port ${port} (${variable}) is in use: is another \`pnpm start\` running? Stop it or set ${variable}`);
  }
}
