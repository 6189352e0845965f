import { type Db, findCall, findCallLog, findTask } from "@anura/db";
import { CliError } from "../errors.ts";

interface Expectation {
  cdrid: string;
  taskId: string;
  /** False for a call without a recording: it ends at the call log, with no task. */
  expectTask: boolean;
  timeoutMs: number;
  /** One line of progress for a person watching (stderr). */
  report: (line: string) => void;
  /** What to check when the call never appears (default: whether the worker runs). */
  callMissingHint?: string;
}

const STAGES = {
  unmapped: "the call is unmapped: check `pnpm cli campaigns list`, then `pnpm cli calls remap`",
  call: "the worker has not processed the events: is the worker running? (`./run.sh start` runs it)",
  callLog: "the call is not in call_logs yet: see the call.event queue at the dashboard's /admin/queues",
  recording:
    "the recording is not stored yet: see the recording.fetch queue at the dashboard's /admin/queues for its last error (a host missing from RECORDING_ALLOWED_HOSTS, a 404...)",
  task: "the task is not created yet: see the task.create queue at the dashboard's /admin/queues",
} as const;

/** Poll Postgres until the call reaches its last stage, reporting each stage once; throws on timeout. */
export async function waitForOutcome(db: Db, expect: Expectation): Promise<void> {
  const startedAt = Date.now();
  const seen = new Set<keyof typeof STAGES>();
  const reach = (stage: keyof typeof STAGES, line: string) => {
    if (seen.has(stage)) return;
    seen.add(stage);
    expect.report(`${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s  ${line}`);
  };
  while (true) {
    const call = await findCall(db, expect.cdrid);
    if (call) {
      reach(
        "call",
        `anura_calls: call merged from its events (campaign ${call.campaignId ?? "-"}, operator ${call.operatorId ?? "-"})`,
      );
      if (call.unmappedReason)
        reach("unmapped", `anura_calls: unmapped (${call.unmappedReason}): no call log or task until it maps`);
      if (await findCallLog(db, expect.cdrid)) reach("callLog", "call_logs: the call is logged");
      if (call.recordingStoredAt) {
        reach(
          "recording",
          `bucket: recording stored at ${call.recordingKey} (${call.recordingBytes} bytes, ${call.recordingDuration?.toFixed(1)} s)`,
        );
      }
      const task = expect.expectTask ? await findTask(db, expect.taskId) : null;
      if (task) reach("task", `tasks: task ${task.uuid} is ${task.status}`);
      if (expect.expectTask ? task : seen.has("callLog")) return;
    }
    if (Date.now() - startedAt > expect.timeoutMs) {
      const order = expect.expectTask ? (["call", "callLog", "recording", "task"] as const) : (["call", "callLog"] as const);
      const missing = seen.has("unmapped") ? "unmapped" : (order.find((stage) => !seen.has(stage)) ?? "task");
      const hint = missing === "call" && expect.callMissingHint ? expect.callMissingHint : STAGES[missing];
      throw new CliError(`timed out after ${expect.timeoutMs / 1000} s: ${hint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
