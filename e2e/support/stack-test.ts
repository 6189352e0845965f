import { test } from "vitest";
import { type Stack, type StackOptions, startStack } from "./stack.ts";

/**
 * `const it = stackTest({ worker: false }); it("…", async ({ stack, apiKey }) => …)`: the whole system
 * in process (startStack), started once for the file when a test first asks for it, and closed after the file.
 * `prepare` runs once on the new stack, e.g. to create the campaigns the file's calls map to.
 */
export function stackTest(options: StackOptions = {}, prepare?: (stack: Stack) => Promise<unknown>) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      .extend("stack", { scope: "file" }, async ({}, { onCleanup }): Promise<Stack> => {
        const stack = await startStack(options);
        onCleanup(() => stack.close());
        await prepare?.(stack);
        return stack;
      })
      .extend("apiKey", { scope: "file" }, ({ stack }) => stack.createApiKey())
  );
}
