import { type CallEvent, campaignCandidates, foldCall, mapCampaign, mapOperator, recordingReady, taskIdFor } from "@anura/anura";
import { type Db, existingCampaignIds } from "@anura/db";

/** What the pipeline would do with this event on its own, using the campaigns that exist now. */
export async function describeCall(db: Db, event: CallEvent, defaults: { defaultCampaignId?: number; defaultOperatorId?: number }) {
  const state = foldCall([{ event, receivedAt: new Date().toISOString() }]);
  const candidates = campaignCandidates(state.accounttags);
  const existing = await existingCampaignIds(db, [...candidates, ...(defaults.defaultCampaignId ? [defaults.defaultCampaignId] : [])]);
  const campaign = mapCampaign(state.accounttags, defaults.defaultCampaignId, (id) => existing.has(id));
  const operator = mapOperator(state, defaults.defaultOperatorId);
  return {
    trigger: event.trigger,
    call_id: event.cdrid,
    task_id: taskIdFor(event.cdrid),
    has_recording: recordingReady(state),
    campaign: campaign
      ? { id: campaign.campaignId, source: campaign.source }
      : { id: null, reason: unmappedCampaignReason(candidates, defaults.defaultCampaignId, existing) },
    operator: operator ? { id: operator.operatorId, source: operator.source } : { id: null, reason: "no numeric answerextension, queueagentextension or number in queueagentname, and ANURA_DEFAULT_OPERATOR_ID is unset" },
    actions: [
      "record the event and update the call log",
      ...(recordingReady(state) ? ["download the recording and store it", "create a pending transcription task"] : []),
    ],
  };
}

function unmappedCampaignReason(candidates: number[], defaultId: number | undefined, existing: Set<number>): string {
  const missing = candidates.filter((id) => !existing.has(id));
  const tagged = candidates.length === 0 ? "accounttags name no campaign (use campaign_<id> or a bare id)" : `tagged campaign(s) ${missing.join(", ")} do not exist`;
  const fallback = defaultId === undefined ? "ANURA_DEFAULT_CAMPAIGN_ID is unset" : `default campaign ${defaultId} does not exist`;
  return `${tagged}; ${fallback}: the call will be stored as unmapped until \`pnpm cli calls remap\``;
}
