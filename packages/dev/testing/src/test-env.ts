import { parseEnv, testRunEnv } from "@anura/config";

/** The test run's settings, read once: where Postgres and Redis are, and the programs the tests drive. */
export const testEnv = parseEnv(testRunEnv);
