import { jobRegistry, type Queues } from "@anura/queue";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";

export const BULL_BOARD_PATH = "/admin/queues";

/** Bull Board for every queue, served under BULL_BOARD_PATH. */
export function bullBoardRouter(queues: Queues) {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    // None is read-only: every job is idempotent (jobs re-check state), so retrying or re-running one is always safe.
    // A partitioned call.event shows as one queue per partition (call.event, call.event.1, ...).
    queues: queues.placed.map(
      ({ job, queue }) =>
        new BullMQAdapter(queue, {
          readOnlyMode: false,
          allowRetries: true,
          description: jobRegistry[job].description,
        }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Anura → AuditorIA", miscLinks: [{ text: "Overview", url: "/" }] } },
  });
  return serverAdapter.getRouter();
}
