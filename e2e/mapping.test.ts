import { spawnSync } from "node:child_process";
import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { describe, expect } from "vitest";
import { type Stack, stackTest } from "./support/index.ts";

const it = stackTest({}, (stack) => stack.createCampaign(2, "Soporte"));

describe("unmapped calls", () => {
  it("are stored as unmapped with their recording, counted, and finished by `calls remap` once the campaign exists", async ({
    stack,
    apiKey: key,
  }) => {
    const url = stack.recordings.serve("/rec/unmapped.mp3", generateMp3(2));
    const res = await stack.post(seedEndEvent(url, { cdrid: "unmapped-1", accounttags: "campaign_9" }), { "X-API-Key": key });
    expect(res.status).toBe(202);

    const call = await waitFor(
      async () => {
        const [row] = await stack.sql`select unmapped_reason, recording_key from anura_calls where cdrid = 'unmapped-1'`;
        return row?.recording_key ? row : null;
      },
      { what: "recording stored for the unmapped call" },
    );
    expect(call.unmapped_reason).toBe("campaign");
    expect(await stack.sql`select 1 from call_logs where call_id = 'unmapped-1'`).toHaveLength(0);
    expect(await findTask(stack.db, taskIdFor("unmapped-1"))).toBeNull();

    const stats = await fetch(`${stack.baseUrl}/anura/stats`, { headers: { "X-API-Key": key } }).then((r) => r.json());
    expect(stats).toMatchObject({ unmappedCalls: 1, recordingsStored: 1, eventsByTrigger: { END: 1 } });

    await stack.createCampaign(9, "Cobranzas");
    const cli = spawnSync(process.execPath, ["apps/cli/src/main.ts", "calls", "remap"], {
      env: { ...process.env, DATABASE_URL: stack.env.DATABASE_URL, REDIS_URL: stack.env.REDIS_URL, QUEUE_PREFIX: stack.prefix },
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain("1 unmapped call(s): 1 missing campaign");
    expect(cli.stdout).toContain("re-driven 1 call(s)");

    const task = await waitFor(() => findTask(stack.db, taskIdFor("unmapped-1")), { what: "task after remap" });
    expect(task.url).toBe("anura/anura_unmapped-1.mp3");
    const [log] = await stack.sql`select campaign_id, file_name from call_logs where call_id = 'unmapped-1'`;
    expect(log).toEqual({ campaign_id: 9, file_name: "anura_unmapped-1.mp3" });
    expect(stack.recordings.hitsFor("/rec/unmapped.mp3")).toBe(1); // remapping did not download again
  });
});

describe("mapping helper endpoints", () => {
  const get = (stack: Stack, path: string, headers: Record<string, string>) =>
    fetch(`${stack.baseUrl}${path}`, { headers }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { campaigns: unknown[]; operator: { rules: string[] } },
    }));

  it("require the API key", async ({ stack }) => {
    for (const path of ["/anura/campaigns", "/anura/stats", "/anura/mapping-guide"])
      expect((await get(stack, path, {})).status).toBe(401);
    expect((await stack.post({}, {}, "/anura/validate-mapping")).status).toBe(401);
  });

  it("list campaigns with the tag that maps to each", async ({ stack, apiKey }) => {
    const { body } = await get(stack, "/anura/campaigns", { "X-API-Key": apiKey });
    expect(body.campaigns).toContainEqual(expect.objectContaining({ id: 2, name: "Soporte", anura_tag: "campaign_2" }));
  });

  it("validate-mapping explains what maps to what and what to fix", async ({ stack, apiKey: key }) => {
    const res = await stack.post(
      { accounttags: "ventas, campaign_77, campaign_2", queueagentname: "Agente 41" },
      { "X-API-Key": key },
      "/anura/validate-mapping",
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      campaign: { id: 2, source: "accounttags" },
      operator: { id: 41, source: "queueagentname" },
    });
    expect((res.body.recommendations as string[]).join(" ")).toMatch(/create campaign\(s\) 77/);

    const none = await stack.post({ accounttags: "ventas" }, { "X-API-Key": key }, "/anura/validate-mapping");
    expect(none.body).toMatchObject({ campaign: { id: null }, operator: { id: null } });
    expect((none.body.campaign as { reason: string }).reason).toMatch(/unmapped/);
  });

  it("mapping-guide states the rules", async ({ stack, apiKey }) => {
    const { body } = await get(stack, "/anura/mapping-guide", { "X-API-Key": apiKey });
    expect(body.operator.rules[0]).toMatch(/answerextension/);
  });
});
