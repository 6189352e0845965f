import { parseArgs } from "node:util";
import { MAX_SAMPLE_SECONDS } from "@anura/dev-recordings/url";
import { CliError } from "../errors.ts";

export interface SimulateOptions {
  cdrid: string;
  seconds: number;
  recording: boolean;
  /** Given by the user; otherwise the development sample-recording server's URL is used. */
  recordingUrl?: string;
  ingesterUrl?: string;
  apiKey?: string;
  timeoutSeconds: number;
  /** No webhook at all: only the CDR list of the stand-in for Anura's API knows the call. */
  webhookLost: boolean;
}

export function parseSimulateOptions(args: string[]): SimulateOptions {
  const { values } = parseArgs({
    args,
    options: {
      cdrid: { type: "string" },
      seconds: { type: "string" },
      "no-recording": { type: "boolean" },
      url: { type: "string" },
      "recording-url": { type: "string" },
      "api-key": { type: "string" },
      timeout: { type: "string" },
      "webhook-lost": { type: "boolean" },
    },
  });
  if (values["no-recording"] && values["recording-url"]) {
    throw new CliError("--no-recording and --recording-url contradict each other: give one of them");
  }
  const cdrid = values.cdrid?.trim() || `sim-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  if (cdrid.length > 36) throw new CliError(`--cdrid must be at most 36 characters (AuditorIA's call_id), got ${cdrid.length}`);
  return {
    cdrid,
    seconds: wholeNumber("seconds", values.seconds ?? "20", MAX_SAMPLE_SECONDS),
    recording: !values["no-recording"],
    recordingUrl: values["recording-url"] && httpUrl("recording-url", values["recording-url"]),
    ingesterUrl: values.url && httpUrl("url", values.url).replace(/\/+$/, ""),
    apiKey: values["api-key"],
    // A lost webhook waits for a poll of the CDR list (every 10 s with `./run.sh start`'s stand-in), then settling.
    timeoutSeconds: wholeNumber("timeout", values.timeout ?? (values["webhook-lost"] ? "120" : "30"), 3600),
    webhookLost: values["webhook-lost"] ?? false,
  };
}

function wholeNumber(option: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new CliError(`--${option} must be a whole number from 1 to ${max} (got "${value}")`);
  }
  return number;
}

function httpUrl(option: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {}
  throw new CliError(`--${option} must be an http(s) URL such as http://localhost:8001 (got "${value}")`);
}
