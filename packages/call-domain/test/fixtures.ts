import { readFileSync } from "node:fs";

const dir = new URL("../__fixtures__/", import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, dir), "utf8");
}

/** Render the seed's body template the way Anura does: plain text substitution, no escaping. */
export function renderSeedTemplate(vars: Record<string, string>): string {
  return fixture("seed-template.json.tpl").replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => vars[name] ?? "");
}

export function renderVarsFixture(name: string, overrides: Record<string, string> = {}): string {
  return renderSeedTemplate({ ...JSON.parse(fixture(name)), ...overrides });
}
