import { campaignCandidates, mapCampaign, mapOperator, type OperatorFields } from "@anura/call-domain";
import type { MappingDefaults } from "@anura/config";
import type { Db, DbOrTx } from "../client.ts";
import { asc, sql } from "../drizzle.ts";
import { campaigns } from "../schema/index.ts";

export async function createCampaign(db: Db, input: { name: string; id?: number; description?: string }) {
  const [row] = await db
    .insert(campaigns)
    .values({ campaignName: input.name, description: input.description, ...(input.id ? { campaignId: input.id } : {}) })
    .returning({ id: campaigns.campaignId, name: campaigns.campaignName });
  // An explicit id bypasses the serial: move it past the highest id so later inserts do not collide.
  if (input.id) {
    await db.execute(
      sql`select setval(pg_get_serial_sequence('campaigns', 'campaign_id'), (select max(campaign_id) from campaigns))`,
    );
  }
  return row!;
}

export function listCampaigns(db: Db) {
  return db
    .select({ id: campaigns.campaignId, name: campaigns.campaignName, description: campaigns.description })
    .from(campaigns)
    .orderBy(asc(campaigns.campaignId));
}

export async function existingCampaignIds(db: DbOrTx, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.execute<{ campaign_id: number }>(sql`select campaign_id from campaigns where campaign_id in ${ids}`);
  return new Set(rows.map((row) => row.campaign_id));
}

/** A call's campaign and operator, mapped against the campaigns that exist now (null: unmapped). */
export async function mapToExistingCampaign(
  db: DbOrTx,
  fields: OperatorFields & { accounttags: string | null },
  defaults: MappingDefaults,
) {
  const candidates = campaignCandidates(fields.accounttags);
  const existing = await existingCampaignIds(db, [
    ...candidates,
    ...(defaults.defaultCampaignId ? [defaults.defaultCampaignId] : []),
  ]);
  return {
    candidates,
    existing,
    campaign: mapCampaign(fields.accounttags, defaults.defaultCampaignId, (id) => existing.has(id)),
    operator: mapOperator(fields, defaults.defaultOperatorId),
  };
}
