import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_NODE_FLAGS, type AppName, appEntry, COMPILED } from "./app-process.ts";

const APPS = Object.keys(APP_NODE_FLAGS) as AppName[];
const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

/** The JSON array after `command:` or `CMD` on the one line of `file` that starts `app`. */
function commandLine(file: string, app: AppName): unknown {
  const lines = read(file)
    .split("\n")
    .filter((line) => /^\s*(command:|CMD)/.test(line) && line.includes(`"${appEntry(app)}"`));
  expect(lines, `${file} starts ${app} on exactly one line`).toHaveLength(1);
  const line = lines[0] as string;
  return JSON.parse(line.slice(line.indexOf("[")));
}

// Node refuses some of these flags in NODE_OPTIONS, so the deployment files repeat them on each command line.
describe("every place an app process starts outside scripts/app-process.ts gives it its own node flags", () => {
  it.each(APPS)("docker-compose.yml's %s service", (app) => {
    expect(commandLine("docker-compose.yml", app)).toEqual(["node", ...APP_NODE_FLAGS[app], appEntry(app)]);
  });

  it("the image's default command (the ingester)", () => {
    expect(commandLine("Dockerfile", "ingester")).toEqual(["node", ...APP_NODE_FLAGS.ingester, appEntry("ingester")]);
  });

  it.each(APPS)("package.json's start:%s", (app) => {
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    const flags = [...APP_NODE_FLAGS[app], COMPILED].join(" ");
    expect(scripts[`start:${app}`]).toBe(`pnpm build && node ${flags} --import ./scripts/load-env.js ${appEntry(app)}`);
  });
});
