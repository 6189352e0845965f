import { defineConfig } from "vitest/config";

const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    pool: "forks",
    globalSetup: ["e2e/support/compile-apps.ts"],
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: "main",
          include: [
            "packages/*/src/**/*.test.ts",
            "packages/*/test/**/*.test.ts",
            "packages/dev/*/src/**/*.test.ts",
            "packages/dev/*/test/**/*.test.ts",
            "apps/*/test/**/*.test.ts",
            "e2e/*.test.ts",
            "scripts/*.test.ts",
            "e2e/browser/**/*.test.ts",
            "e2e/alerts/**/*.test.ts",
          ],
        },
      },
      {
        // The fault scenarios run many processes each: after everything else, so they starve nothing.
        test: { ...shared, name: "reliability", include: ["e2e/reliability/**/*.test.ts"], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
