import { taskIdFor } from "@anura/call-domain";
import type { CliSettings } from "@anura/config";
import { createApiKey, createCampaign, type Db, listCampaigns } from "@anura/db";
import { sampleRecordingUrl } from "@anura/dev-recordings/url";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { anuraCallEvents } from "../simulate/anura-call.ts";
import { checkIngester, checkSampleRecordings, postWebhook } from "../simulate/ingester-client.ts";
import { addLostCall } from "../simulate/lost-call.ts";
import { parseSimulateOptions, type SimulateOptions } from "../simulate/options.ts";
import { waitForOutcome } from "../simulate/progress.ts";

const CAMPAIGN_NAME = "Simulated calls";
const say = (line: string) => console.error(line);

/** Plays one whole Anura call (START, TALK, END) against a running system and waits for its task. */
export async function simulateCallCommand(args: string[], cli: CliContext): Promise<void> {
  const startedAt = Date.now();
  const options = parseSimulateOptions(args);
  const { settings } = cli;
  const ingesterUrl = options.ingesterUrl ?? `http://127.0.0.1:${settings.ingesterPort}`;
  const recordingUrl = await resolveRecordingUrl(options, settings);
  if (!options.webhookLost) await checkIngester(ingesterUrl);

  await cli.withDatabase(async ({ db }) => {
    const apiKey = options.apiKey ?? (await newApiKey(db));
    const campaignId = await simulationCampaign(db);
    console.log(`cdrid: ${options.cdrid}`);
    if (recordingUrl) say(`recording: ${recordingUrl}`);
    if (options.webhookLost) {
      await addLostCall(options, settings.devAnuraApiPort, campaignId, recordingUrl);
      say("no webhook sent: only the CDR list of the stand-in for Anura's API knows this call; waiting for reconciliation");
    } else {
      const events = anuraCallEvents({ ...options, campaignId, recordingUrl, timeZone: settings.timeZone });
      for (const { trigger, body } of events) {
        const answer = await postWebhook(ingesterUrl, apiKey, body);
        say(`${trigger.padEnd(5)} accepted (202, via ${answer.accepted_via ?? "queue"})`);
      }
    }
    await waitForOutcome(db, {
      cdrid: options.cdrid,
      taskId: taskIdFor(options.cdrid),
      expectTask: recordingUrl !== undefined,
      timeoutMs: options.timeoutSeconds * 1000,
      report: say,
      callMissingHint: options.webhookLost
        ? 'reconciliation has not found the call in the CDR list: does the worker log "reconciling with Anura\'s CDR list"? (it polls every ANURA_CDR_POLL_SECONDS)'
        : undefined,
    });
  });

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  if (!recordingUrl) {
    say(`done in ${seconds} s: no recording, so no transcription task; the last line is the cdrid`);
    console.log(options.cdrid);
    return;
  }
  say(`done in ${seconds} s: the last line is the task id (tasks.uuid)`);
  console.log(taskIdFor(options.cdrid));
}

/** The recording END points at: given, the development sample server, or none (--no-recording). */
async function resolveRecordingUrl(options: SimulateOptions, settings: CliSettings): Promise<string | undefined> {
  if (!options.recording) return undefined;
  if (options.recordingUrl) return options.recordingUrl;
  if (settings.production) {
    throw new CliError(
      "NODE_ENV=production has no sample recordings: pass --recording-url <an MP3 URL the worker may fetch> " +
        "(its host in RECORDING_ALLOWED_HOSTS if private), or --no-recording for a call without one",
    );
  }
  const base = `http://127.0.0.1:${settings.devRecordingsPort}`;
  await checkSampleRecordings(base);
  return sampleRecordingUrl(base, options.cdrid, options.seconds);
}

async function newApiKey(db: Db): Promise<string> {
  const key = await createApiKey(db, "simulate-call");
  say(`created API key ${key.prefix}… "simulate-call" (pass --api-key <key> to use one of yours)`);
  return key.plainKey;
}

/** Simulated calls map to a campaign of their own, so they are easy to tell from real ones. */
async function simulationCampaign(db: Db): Promise<number> {
  const existing = (await listCampaigns(db)).find((campaign) => campaign.name === CAMPAIGN_NAME);
  if (existing) {
    say(`campaign ${existing.id} "${CAMPAIGN_NAME}" (accounttags campaign_${existing.id})`);
    return existing.id;
  }
  const created = await createCampaign(db, { name: CAMPAIGN_NAME, description: "calls played by pnpm cli simulate-call" });
  say(`created campaign ${created.id} "${CAMPAIGN_NAME}" for simulated calls (accounttags campaign_${created.id})`);
  return created.id;
}
