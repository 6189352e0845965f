import { describe, expect, it } from "vitest";
import { dashboardSettings, workerSettings } from "./apps.ts";
import { EnvError, parseEnv } from "./parse-env.ts";

const s3 = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "key", S3_SECRET_KEY: "secret-key" };

describe("app settings", () => {
  it("a worker without S3 refuses to start and says which variables to set", () => {
    try {
      parseEnv(workerSettings, { S3_ENDPOINT: "http://127.0.0.1:9000" });
      expect.unreachable("parsed without S3 credentials");
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toEqual([
        expect.stringMatching(/^S3_ENDPOINT: .*S3_ACCESS_KEY and S3_SECRET_KEY are required/),
      ]);
    }
  });

  it("turn the worker's variables into nested settings, durations in milliseconds", () => {
    const settings = parseEnv(workerSettings, {
      ...s3,
      JOB_LOCK_SECONDS: "4",
      RECORDING_FETCH_CONCURRENCY: "2",
      RECORDING_CONNECT_TIMEOUT: "1.5",
      RECORDING_RETRY_DELAYS: "5, 10",
      ANURA_RECORDING_AUTH: "X-Token: abc",
      ANURA_DEFAULT_CAMPAIGN_ID: "7",
      WORKER_QUEUES: "recording.fetch, task.create",
    });
    expect(settings.jobLockMs).toBe(4000);
    // Unset ones stay unset: each job's registry entry has the default (packages/queue's tests).
    expect(settings.concurrency).toEqual({ RECORDING_FETCH_CONCURRENCY: 2 });
    expect(settings.recording).toMatchObject({
      connectTimeoutMs: 1500,
      auth: { name: "X-Token", value: "abc" },
      retry: { delaysSeconds: [5, 10], horizonMs: 24 * 3_600_000 },
    });
    expect(settings.mapping).toEqual({ defaultCampaignId: 7, defaultOperatorId: undefined });
    expect(settings.queues).toEqual(["recording.fetch", "task.create"]);
    expect(settings.s3).toMatchObject({ endpoint: s3.S3_ENDPOINT, bucket: "audios" });
  });

  it("the dashboard reads the same retry schedule as the worker", () => {
    const env = { ...s3, RECORDING_RETRY_DELAYS: "1,2,3", RECORDING_RETRY_HORIZON: "60" };
    expect(parseEnv(dashboardSettings, env).recordingRetry).toEqual(parseEnv(workerSettings, env).recording.retry);
  });

  it("reconciles with Anura's CDR list only with both API credentials, and names the one missing", () => {
    expect(parseEnv(workerSettings, s3).cdrReconcile).toBeNull();
    const on = parseEnv(workerSettings, {
      ...s3,
      ANURA_API_CLIENT_ID: "id",
      ANURA_API_CLIENT_SECRET: "shh",
      ANURA_CDR_POLL_SECONDS: "60",
    });
    expect(on.cdrReconcile).toMatchObject({
      api: { clientId: "id", tokenUrl: "https://sso.anura.com.ar/auth/realms/anura/protocol/openid-connect/token" },
      pollMs: 60_000,
      settleMs: 180_000,
      overlapMs: 900_000,
    });
    for (const [set, missing] of [
      [{ ANURA_API_CLIENT_ID: "id" }, "ANURA_API_CLIENT_SECRET"],
      [{ ANURA_API_CLIENT_SECRET: "shh" }, "ANURA_API_CLIENT_ID"],
    ] as const) {
      const error = (() => {
        try {
          parseEnv(workerSettings, { ...s3, ...set });
        } catch (e) {
          return e as EnvError;
        }
      })();
      expect(error?.problems).toEqual([expect.stringMatching(new RegExp(`^${missing}: ${missing} is missing: set both`))]);
      expect(error?.message).not.toContain("shh");
    }
  });
});
