import { test } from "vitest";
import { type Stack, type StackOptions, startStack } from "./stack.ts";

/**
 * `const it = stackTest({ worker: false }); it("…", async ({ stack, apiKey }) => …)`: the whole system
 * in process (startStack), started once for the file when a test first asks for it, and closed after the file.
 */
export function stackTest(options: StackOptions = {}) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      .extend("stack", { scope: "file" }, async ({}, { onCleanup }): Promise<Stack> => {
        const stack = await startStack(options);
        onCleanup(() => stack.close());
        return stack;
      })
      .extend("apiKey", { scope: "file" }, ({ stack }) => stack.createApiKey())
  );
}
