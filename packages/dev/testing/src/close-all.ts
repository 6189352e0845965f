type Started = { close(): unknown } | { stop(): unknown } | { drop(): unknown };

/** Close, stop or drop what a test file started, in the order given; what never started is skipped. */
export async function closeAll(...started: Array<Started | undefined | null>): Promise<void> {
  for (const item of started) {
    if (!item) continue;
    if ("close" in item) await item.close();
    else if ("stop" in item) await item.stop();
    else await item.drop();
  }
}
