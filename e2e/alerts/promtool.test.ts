import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { testEnv } from "@anura/testing";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const RULES = join(ROOT, "deploy/prometheus");
const PROMTOOL = testEnv.PROMTOOL_PATH;
const run = promisify(execFile);

/** promtool's own verdict; a non-zero exit rejects with its output, so the test shows what failed. */
async function promtool(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(PROMTOOL, args, { cwd: RULES });
  return stdout + stderr;
}

const alerts = readFileSync(join(RULES, "alerts.yml"), "utf8");
const unitTests = readFileSync(join(RULES, "alerts.test.yml"), "utf8");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const alertNames = [...alerts.matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1] as string);

describe("shipped Prometheus rules", () => {
  it("are valid rules and a valid scrape config (promtool check)", async () => {
    expect(await promtool("check", "rules", "alerts.yml")).toMatch(/SUCCESS: \d+ rules found/);
    expect(await promtool("check", "config", "prometheus.yml")).toMatch(/is valid prometheus config file/);
  });

  it("fire, and stay quiet, as their unit tests expect (promtool test rules)", async () => {
    expect(await promtool("test", "rules", "alerts.test.yml")).toMatch(/SUCCESS/);
  });

  it("cover every alert the issue asks for, each with a unit test", () => {
    expect(alertNames).toEqual(
      expect.arrayContaining([
        "AnuraQueueBacklog",
        "AnuraRecordingDownloadsFailing",
        "AnuraRecordingsMissing",
        "AnuraInboxInUse",
        "AnuraSourceSilent",
        "AnuraTranscriptionStalled",
        "AnuraHttp5xx",
        "AnuraWorkerNotReady",
        "AnuraCdrReconciliationFailing",
        "AnuraCdrCallsRecovered",
      ]),
    );
    const tested = new Set([...unitTests.matchAll(/alertname: (\w+)/g)].map((match) => match[1]));
    expect(alertNames.filter((name) => !tested.has(name))).toEqual([]);
  });

  it("give every alert a summary and a runbook pointing at its README section", () => {
    const headings = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((match) => anchorOf(match[1] as string)));
    for (const name of alertNames) {
      const rule = alerts.slice(alerts.indexOf(`- alert: ${name}`)).split(/\n\s+- alert: /)[0] as string;
      expect(rule, name).toMatch(/summary: "/);
      const runbook = rule.match(/runbook: "README\.md#([\w-]+)"/)?.[1];
      expect(runbook, `${name} has a runbook annotation`).toBe(name.toLowerCase());
      expect(headings.has(runbook as string), `README has a "${name}" heading`).toBe(true);
    }
  });
});

/** The anchor GitHub gives a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");
}
