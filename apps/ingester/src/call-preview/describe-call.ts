import { type CallEvent, mergeEvents, type OperatorFields, recordingReady, taskIdFor } from "@anura/call-domain";
import type { MappingDefaults } from "@anura/config";
import { type Db, mapToExistingCampaign } from "@anura/db";

/** Which campaign and operator these Anura fields map to with the campaigns that exist now, and why. */
export async function describeMapping(
  db: Db,
  fields: OperatorFields & { accounttags: string | null },
  defaults: MappingDefaults,
) {
  const { candidates, existing, campaign, operator } = await mapToExistingCampaign(db, fields, defaults);
  const recommendations: string[] = [];
  const missingTagged = candidates.filter((id) => !existing.has(id));
  if (missingTagged.length > 0)
    recommendations.push(
      `create campaign(s) ${missingTagged.join(", ")} (pnpm cli campaigns create --name ... --id N) or fix the account tags`,
    );
  if (candidates.length === 0) recommendations.push("tag the Anura account with campaign_<id> so its calls map to that campaign");
  if (!campaign && defaults.defaultCampaignId === undefined) recommendations.push("set ANURA_DEFAULT_CAMPAIGN_ID as a fallback");
  if (operator?.source === "default" || !operator)
    recommendations.push("use numeric agent extensions in Anura so each call maps to its operator");
  return {
    campaign: campaign
      ? { id: campaign.campaignId, source: campaign.source }
      : { id: null, reason: unmappedCampaignReason(candidates, missingTagged, defaults.defaultCampaignId) },
    operator: operator
      ? { id: operator.operatorId, source: operator.source }
      : {
          id: null,
          reason:
            "no numeric answerextension or queueagentextension, no number in queueagentname, and ANURA_DEFAULT_OPERATOR_ID is unset",
        },
    recommendations,
  };
}

/** What the pipeline would do with this event on its own. */
export async function describeCall(db: Db, event: CallEvent, defaults: MappingDefaults) {
  const state = mergeEvents([{ event, receivedAt: new Date().toISOString() }]);
  const mapping = await describeMapping(db, state, defaults);
  return {
    trigger: event.trigger,
    call_id: event.cdrid,
    task_id: taskIdFor(event.cdrid),
    has_recording: recordingReady(state),
    ...mapping,
    actions: [
      "record the event and update the call log",
      ...(recordingReady(state) ? ["download the recording and store it", "create a pending transcription task"] : []),
    ],
  };
}

function unmappedCampaignReason(candidates: number[], missing: number[], defaultId: number | undefined): string {
  const tagged =
    candidates.length === 0
      ? "accounttags name no campaign (use campaign_<id> or a bare id)"
      : `tagged campaign(s) ${missing.join(", ")} do not exist`;
  const fallback =
    defaultId === undefined ? "ANURA_DEFAULT_CAMPAIGN_ID is unset" : `default campaign ${defaultId} does not exist`;
  return `${tagged}; ${fallback}: the call is stored as unmapped until the campaign exists and \`pnpm cli calls remap\` runs`;
}
