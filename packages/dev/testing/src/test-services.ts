import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey, createCampaign, createDb } from "@anura/db";
import { startEmbeddedS3 } from "@anura/dev-s3";
import { createRecordingStore } from "@anura/storage";
import { RecordingServer } from "./recording-server.ts";
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from "./test-database.ts";

export interface TestServicesOptions {
  /** The Redis the apps use (default: the machine's shared one; the key prefix isolates the test). */
  redisUrl?: string;
  /** Label in the queue prefix, to tell tests apart in Redis. */
  label?: string;
}

/**
 * The real services one test file runs its apps against, started and stopped together: a migrated
 * database of its own, a Redis key prefix, an embedded S3 server and a local recording host.
 * `env` holds the variables an app needs to reach them.
 */
export async function startTestServices(options: TestServicesOptions = {}) {
  const database = await createTestDatabase();
  const s3Dir = await mkdtemp(join(tmpdir(), "anura-s3-"));
  const s3 = await startEmbeddedS3({ directory: s3Dir });
  const recordings = await new RecordingServer().start();
  const handle = createDb(database.url, { max: 4 });
  const prefix = uniquePrefix(options.label ?? "stack");
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: "audios",
    RECORDING_ALLOWED_HOSTS: recordings.host,
  };
  const store = createRecordingStore({
    endpoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: "audios",
    region: "us-east-1",
  });
  return {
    env,
    prefix,
    db: handle.db,
    sql: handle.sql,
    s3,
    store,
    recordings,
    createApiKey: async (name = "test") => (await createApiKey(handle.db, name)).plainKey,
    createCampaign: (id: number, name = `campaign ${id}`) => createCampaign(handle.db, { id, name }),
    /** Every step runs even if one fails, so a broken test never leaks a database or a server. */
    async close() {
      const steps = [
        handle.close,
        () => recordings.close(),
        s3.close,
        () => rm(s3Dir, { recursive: true, force: true }),
        database.drop,
      ];
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    },
  };
}

export type TestServices = Awaited<ReturnType<typeof startTestServices>>;
