import { normaliseEvent } from "@anura/call-domain";
import { activitySince, listCampaigns } from "@anura/db";
import { type Request, type Response, Router } from "express";
import { describeMapping } from "../call-preview/describe-call.ts";
import type { IngesterDeps } from "../deps.ts";

const MAPPING_GUIDE = {
  campaign: {
    rules: [
      "the first tag in accounttags (comma separated) of the form campaign_<id> or a bare <id> that names an existing campaign",
      "else ANURA_DEFAULT_CAMPAIGN_ID, if that campaign exists",
      "else the call is stored as unmapped: its recording is still fetched and stored, and `pnpm cli calls remap` finishes it once the campaign exists",
    ],
    examples: { campaign_123: 123, "456": 456, "campaign_123, tag2, campaign_456": "123 (or 456 if 123 does not exist)" },
  },
  operator: {
    rules: [
      "answerextension (the phone that answered), if numeric",
      "else queueagentextension, if numeric",
      'else the first number in queueagentname ("Agent 123" → 123)',
      "else ANURA_DEFAULT_OPERATOR_ID; with none, the call is unmapped",
    ],
  },
  body_template: "add answerextension and accounttags to the Anura body template for the most precise mapping",
};

/** The original service's helper endpoints; the router is mounted behind the API key. */
export function anuraHelpers(deps: IngesterDeps): Router {
  const router = Router();
  router.get("/campaigns", async (_req: Request, res: Response) => {
    const campaigns = await listCampaigns(deps.db);
    res.json({ campaigns: campaigns.map((c) => ({ ...c, anura_tag: `campaign_${c.id}` })) });
  });
  router.get("/mapping-guide", (_req: Request, res: Response) => {
    res.json(MAPPING_GUIDE);
  });
  router.post("/validate-mapping", async (req: Request, res: Response) => {
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(req.rawBody || "{}");
    } catch {
      res.status(400).json({
        success: false,
        error: "send a JSON object with accounttags, answerextension, queueagentextension, queueagentname",
      });
      return;
    }
    const result = normaliseEvent({ hooktrigger: "VALIDATE", cdrid: "validate", ...fields }, deps.timeZone);
    if (!result.ok) {
      res.status(422).json({ success: false, error: "invalid fields", fields: result.issues });
      return;
    }
    res.json(await describeMapping(deps.db, result.event, deps.mapping));
  });
  router.get("/stats", async (_req: Request, res: Response) => {
    res.json({ period: "last 24 hours", ...(await activitySince(deps.db, new Date(Date.now() - 24 * 3600 * 1000))) });
  });
  return router;
}
