export {
  type CallEvent,
  callEventSchema,
  type FieldIssue,
  KNOWN_TRIGGERS,
  type NormaliseResult,
  normaliseEvent,
} from "./call-event.ts";
export { localMinute, parseDialtime } from "./dialtime.ts";
export { cdrEventIdFor, pendingFileName, recordingFileName, recordingObjectKey, safeCallId, taskIdFor } from "./ids.ts";
export { campaignCandidates, mapCampaign, mapOperator, type OperatorFields, type OperatorSource } from "./mapping.ts";
export {
  type CallFacts,
  type CallState,
  mergeEvent,
  mergeEvents,
  type ReceivedEvent,
  recordingLinkMissing,
  recordingReady,
  stateOf,
} from "./merge-event.ts";
export { type ParsedBody, parseBody } from "./parse-body.ts";
export { repairTemplateJson } from "./repair-template-json.ts";
