import { JOB_NAMES, type JobName, type Queues } from "@anura/queue";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";

export const BULL_BOARD_PATH = "/admin/queues";

const DESCRIPTIONS: Record<JobName, string> = {
  "call.event": "Records each webhook event and re-derives its call",
  "recording.fetch": "Copies each call's recording from Anura into the bucket; failed downloads are retried from here",
  "task.create": "Creates AuditorIA's pending transcription task",
};

/** Bull Board for every queue, served under BULL_BOARD_PATH. */
export function bullBoardRouter(queues: Queues) {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    // None is read-only: every job is idempotent (jobs re-check state), so retrying or re-running one is always safe.
    queues: JOB_NAMES.map(
      (name) =>
        new BullMQAdapter(queues.queues[name], { readOnlyMode: false, allowRetries: true, description: DESCRIPTIONS[name] }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Anura → AuditorIA", miscLinks: [{ text: "Overview", url: "/" }] } },
  });
  return serverAdapter.getRouter();
}
