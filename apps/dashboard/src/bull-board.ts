import { JOB_NAMES, jobRegistry, type Queues } from "@anura/queue";
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
    queues: JOB_NAMES.map(
      (name) =>
        new BullMQAdapter(queues.queues[name], {
          readOnlyMode: false,
          allowRetries: true,
          description: jobRegistry[name].description,
        }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Anura → AuditorIA", miscLinks: [{ text: "Overview", url: "/" }] } },
  });
  return serverAdapter.getRouter();
}
