import { TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createQueues, type Queues } from "../src/index.ts";

/** Queues on the machine's Redis under a prefix of the test file's own: opened before its tests, closed after. */
export function testQueues(label: string) {
  const opened: { connection?: Redis; queues?: Queues } = {};
  beforeAll(() => {
    opened.connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    opened.queues = createQueues(opened.connection, uniquePrefix(label));
  });
  afterAll(async () => {
    await opened.queues?.close();
    await opened.connection?.quit();
  });
  const get = <Key extends keyof typeof opened>(key: Key) => {
    const value = opened[key];
    if (!value) throw new Error(`testQueues: ${key} is opened in beforeAll; use it inside a test`);
    return value as NonNullable<(typeof opened)[Key]>;
  };
  return {
    get connection() {
      return get("connection");
    },
    get queues() {
      return get("queues");
    },
  };
}
