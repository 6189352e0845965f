import { type CallState, campaignCandidates, mapCampaign, mapOperator } from "@anura/call-domain";
import { type Db, existingCampaignIds } from "@anura/db";
import type { WorkerDeps } from "../deps.ts";

/** How long a campaign seen to exist is trusted without asking Postgres again (a deleted one stops mapping after this). */
const KNOWN_FOR_MS = 5000;

export type CampaignMapper = ReturnType<typeof createCampaignMapper>;

/**
 * Maps calls against the campaigns that exist, remembering only campaigns found: an id not known
 * to exist is always asked for, so a campaign created a moment ago maps at once (remap included).
 */
export function createCampaignMapper(db: Db, defaults: WorkerDeps["mapping"], now: () => number = Date.now) {
  const knownUntil = new Map<number, number>();

  async function existing(ids: number[]): Promise<Set<number>> {
    const time = now();
    const unknown = ids.filter((id) => (knownUntil.get(id) ?? 0) <= time);
    const found = unknown.length > 0 ? await existingCampaignIds(db, unknown) : new Set<number>();
    for (const id of found) knownUntil.set(id, time + KNOWN_FOR_MS);
    return new Set(ids.filter((id) => found.has(id) || (knownUntil.get(id) ?? 0) > time));
  }

  return async function mapCall(state: CallState) {
    const ids = campaignCandidates(state.accounttags);
    if (defaults.defaultCampaignId !== undefined) ids.push(defaults.defaultCampaignId);
    const exists = await existing(ids);
    return {
      campaign: mapCampaign(state.accounttags, defaults.defaultCampaignId, (id) => exists.has(id)),
      operator: mapOperator(state, defaults.defaultOperatorId),
    };
  };
}
