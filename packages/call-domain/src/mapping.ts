/** Campaign ids named by `accounttags`, in tag order: `campaign_<n>` or a bare number. */
export function campaignCandidates(accounttags: string | null): number[] {
  if (!accounttags) return [];
  const ids: number[] = [];
  for (const tag of accounttags.split(",")) {
    const match = /^(?:campaign_)?(\d{1,9})$/i.exec(tag.trim());
    if (match) ids.push(Number(match[1]));
  }
  return ids;
}

export type OperatorSource = "answerextension" | "queueagentextension" | "queueagentname" | "default";
export interface OperatorFields {
  answerextension: string | null;
  queueagentextension: string | null;
  queueagentname: string | null;
}

/** The operator who handled the call: the answerer is the most precise source, then the queue agent. */
export function mapOperator(
  fields: OperatorFields,
  defaultOperatorId: number | undefined,
): { operatorId: number; source: OperatorSource } | null {
  const numeric = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null);
  const answerer = numeric(fields.answerextension);
  if (answerer !== null) return { operatorId: answerer, source: "answerextension" };
  const extension = numeric(fields.queueagentextension);
  if (extension !== null) return { operatorId: extension, source: "queueagentextension" };
  const inName = fields.queueagentname ? /\d{1,9}/.exec(fields.queueagentname) : null;
  if (inName) return { operatorId: Number(inName[0]), source: "queueagentname" };
  if (defaultOperatorId !== undefined) return { operatorId: defaultOperatorId, source: "default" };
  return null;
}

export type CampaignSource = "accounttags" | "default";

/** The first tagged campaign that exists, else the default if it exists; null means unmapped. */
export function mapCampaign(
  accounttags: string | null,
  defaultCampaignId: number | undefined,
  exists: (id: number) => boolean,
): { campaignId: number; source: CampaignSource } | null {
  const tagged = campaignCandidates(accounttags).find(exists);
  if (tagged !== undefined) return { campaignId: tagged, source: "accounttags" };
  if (defaultCampaignId !== undefined && exists(defaultCampaignId)) return { campaignId: defaultCampaignId, source: "default" };
  return null;
}
