import { describe, expect, it } from "vitest";
import { campaignCandidates, mapCampaign, mapOperator } from "../src/index.ts";

describe("campaign mapping", () => {
  it.each([
    ["campaign_123", [123]],
    ["456", [456]],
    ["campaign_123, tag2, campaign_456", [123, 456]],
    ["Campaign_9 , ventas", [9]],
    ["ventas, soporte", []],
    ["campaign_x, 12abc", []],
    ["", []],
  ])("accounttags %j name campaigns %j", (tags, ids) => {
    expect(campaignCandidates(tags)).toEqual(ids);
  });

  const exists =
    (...ids: number[]) =>
    (id: number) =>
      ids.includes(id);

  it("takes the first tagged campaign that exists", () => {
    expect(mapCampaign("campaign_5, campaign_6", 1, exists(5, 6, 1))).toEqual({ campaignId: 5, source: "accounttags" });
    expect(mapCampaign("campaign_5, campaign_6", 1, exists(6, 1))).toEqual({ campaignId: 6, source: "accounttags" });
  });

  it("falls back to the default only when it exists", () => {
    expect(mapCampaign("ventas", 1, exists(1))).toEqual({ campaignId: 1, source: "default" });
    expect(mapCampaign("campaign_5", 1, exists())).toBeNull();
  });

  it("never invents a campaign: no tag and no default is unmapped", () => {
    expect(mapCampaign(null, undefined, exists(1))).toBeNull();
  });
});

describe("operator mapping", () => {
  const none = { answerextension: null, queueagentextension: null, queueagentname: null };

  it("prefers the answerer's extension", () => {
    expect(mapOperator({ answerextension: "301", queueagentextension: "300", queueagentname: "Agent 123" }, 1)).toEqual({
      operatorId: 301,
      source: "answerextension",
    });
  });

  it("then the numeric queue agent extension", () => {
    expect(mapOperator({ ...none, queueagentextension: "300", queueagentname: "Agent 123" }, 1)).toEqual({
      operatorId: 300,
      source: "queueagentextension",
    });
  });

  it("then the first number in the agent's name", () => {
    expect(mapOperator({ ...none, queueagentextension: "SIP/ana", queueagentname: "Agent 123 (turno 2)" }, 1)).toEqual({
      operatorId: 123,
      source: "queueagentname",
    });
  });

  it("then the default, and with no default nothing", () => {
    expect(mapOperator(none, 7)).toEqual({ operatorId: 7, source: "default" });
    expect(mapOperator(none, undefined)).toBeNull();
  });
});
