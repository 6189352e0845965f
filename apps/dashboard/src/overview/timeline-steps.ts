import type { CallState } from "@anura/call-domain";
import type { RecordingRetrySettings } from "@anura/config";
import { formatDuration } from "../http/html.ts";
import type { CallLookup } from "./call-lookup.ts";
import { recordingSteps, type Step } from "./recording-steps.ts";
import { cdrEventStep } from "./recovered-calls.ts";

const EVENT_WORDS: Record<string, string> = {
  ORIGINATE: "Anura placed the outbound call (ORIGINATE)",
  START: "Anura: the call started ringing (START)",
  TALK: "Anura: the call was answered (TALK)",
  END: "Anura: the call ended (END)",
  RECORDING: "Anura: the recording is ready (RECORDING)",
};

/** A call's whole story, oldest first; steps still to come (no time yet) last. */
export function timelineSteps(lookup: CallLookup, schedule: RecordingRetrySettings): Step[] {
  const state = lookup.call?.state ?? null;
  const steps: Step[] = [
    ...lookup.events.map((event) =>
      event.fromCdr ? cdrEventStep(event, webhooks(lookup), event.recordingUnavailable) : eventStep(event, state),
    ),
    ...mappingSteps(lookup),
    ...recordingSteps(lookup, state, schedule),
    ...taskSteps(lookup),
  ];
  const timed = steps.filter((step) => step.at !== null).sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
  return [...timed, ...steps.filter((step) => step.at === null)];
}

const webhooks = (lookup: CallLookup) => lookup.events.filter((event) => !event.fromCdr).length;

function eventStep(event: CallLookup["events"][number], state: CallState | null): Step {
  const title = EVENT_WORDS[event.trigger] ?? `Anura sent a ${event.trigger} event`;
  let detail: string | undefined;
  if (event.trigger === "END" && state) {
    const length = state.duration === null ? "length not given" : `lasted ${formatDuration(state.duration * 1000)}`;
    detail = `${length}; ${state.wasrecorded ? "recorded" : "not recorded"}`;
  }
  return { at: event.receivedAt, tone: "info", title, detail };
}

function mappingSteps({ call, callLog }: CallLookup): Step[] {
  if (!call) return [{ at: null, tone: "waiting", title: "The worker has not processed this call's events yet" }];
  const steps: Step[] = [];
  if (call.unmappedReason) {
    steps.push({
      at: call.updatedAt,
      tone: "problem",
      title: `Not filed yet: no ${call.unmappedReason} matched`,
      detail:
        "Create the campaign (pnpm cli campaigns create) or set a default, then run pnpm cli calls remap; the recording is kept meanwhile.",
    });
  }
  if (callLog) {
    const parts = [`campaign ${callLog.campaignId}`, `operator ${callLog.operatorId}`];
    if (callLog.sectot !== null) parts.push(`${callLog.sectot} s`);
    if (callLog.direction) parts.push(callLog.direction);
    steps.push({ at: callLog.createdAt, tone: "done", title: "Call log written for AuditorIA", detail: parts.join(", ") });
  }
  return steps;
}

function taskSteps({ call, task }: CallLookup): Step[] {
  if (!task) {
    if (!call || call.unmappedReason || !call.state.wasrecorded) return [];
    const title = call.recordingStoredAt
      ? "Transcription task not created yet (task.create queue)"
      : "Transcription task: created once the recording is stored";
    return [{ at: null, tone: "waiting", title }];
  }
  const created: Step = {
    at: task.createdAt,
    tone: "done",
    title: "Transcription task created for AuditorIA",
    detail: `Task ${task.uuid}${task.audioDuration === null ? "" : `, audio ${formatDuration(task.audioDuration * 1000)}`}`,
  };
  return [created, progressStep(task)];
}

/** AuditorIA's own progress on the task: its workers move tasks.status on from `pending`. */
function progressStep(task: NonNullable<CallLookup["task"]>): Step {
  const status = task.status ?? "none";
  const at = task.updatedAt;
  const error = task.error ? `Error: ${task.error}` : undefined;
  if (status === "pending") {
    return { at, tone: "waiting", title: "AuditorIA has not started transcribing it yet (pending)", detail: error };
  }
  if (/fail|error/i.test(status)) {
    return { at, tone: "problem", title: `AuditorIA could not transcribe it (${status})`, detail: error };
  }
  if (/complete|done|finish|success/i.test(status)) {
    return { at, tone: "done", title: `AuditorIA transcribed it (${status})`, detail: error };
  }
  return { at, tone: "waiting", title: `AuditorIA is working on it (${status})`, detail: error };
}
