type Started = { close(): unknown } | { stop(): unknown } | { drop(): unknown };

/**
 * Close, stop or drop what a test file started, in the order given, skipping what never started.
 * Every one is tried even if an earlier one fails (a leaked database outlives the run); the first error is thrown.
 */
export async function closeAll(...started: Array<Started | undefined | null>): Promise<void> {
  const errors: unknown[] = [];
  for (const item of started) {
    if (!item) continue;
    try {
      if ("close" in item) await item.close();
      else if ("stop" in item) await item.stop();
      else await item.drop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}
