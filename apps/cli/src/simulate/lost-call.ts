import { CliError } from "../errors.ts";
import type { SimulateOptions } from "./options.ts";

/**
 * Hands the call to the development stand-in for Anura's CDR API only, as if every webhook of it had
 * been lost: the worker's reconciliation must find it in the CDR list and make its task.
 */
export async function addLostCall(
  options: SimulateOptions,
  standInPort: number,
  campaignId: number,
  recordingUrl: string | undefined,
) {
  const base = `http://127.0.0.1:${standInPort}`;
  const duration = options.seconds + 5;
  const cdr = {
    id: options.cdrid,
    dialTime: Date.now() - duration * 1000,
    direction: "IN",
    calling: "+5491100000000",
    called: "+5491100000001",
    status: recordingUrl ? "ANSWER" : "NOANSWER",
    duration,
    billSeconds: recordingUrl ? options.seconds : 0,
    account: { name: "Simulated calls", tags: [`campaign_${campaignId}`] },
    // Not seen in public clients of Anura's API: without it a recovered call maps to ANURA_DEFAULT_OPERATOR_ID.
    queueAgentExtension: "300",
    recordingUrl,
  };
  const answer = await fetch(`${base}/control/cdrs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(cdr),
  }).catch(() => null);
  if (!answer?.ok) {
    throw new CliError(
      `the stand-in for Anura's CDR API does not answer at ${base} (DEV_ANURA_API_PORT): --webhook-lost needs \`./run.sh start\` in development, without ANURA_API_CLIENT_ID`,
    );
  }
}
