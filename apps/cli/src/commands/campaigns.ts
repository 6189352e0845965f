import { parseArgs } from "node:util";
import { createCampaign, listCampaigns } from "@anura/db";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parsePositiveInt, printTable } from "../format.ts";
import { dispatch } from "../subcommands.ts";

export function campaignsCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("campaigns", { create, list }, args, cli);
}

async function create(args: string[], cli: CliContext) {
  const { values } = parseArgs({
    args,
    options: { name: { type: "string" }, id: { type: "string" }, description: { type: "string" } },
  });
  const name = values.name?.trim();
  if (!name) throw new CliError('--name is required: pnpm cli campaigns create --name "Ventas" [--id 7] [--description ...]');
  const id = values.id === undefined ? undefined : parsePositiveInt("id", values.id);
  const campaign = await cli.withDatabase(({ db }) => createCampaign(db, { name, id, description: values.description }));
  console.log(`created campaign ${campaign.id} "${campaign.name}"`);
  console.log("calls left unmapped for lack of it are picked up by `pnpm cli calls remap`");
}

async function list(args: string[], cli: CliContext) {
  parseArgs({ args, options: {} });
  const campaigns = await cli.withDatabase(({ db }) => listCampaigns(db));
  const rows = campaigns.map((campaign) => [String(campaign.id), campaign.name, campaign.description ?? ""]);
  const empty = 'no campaigns yet: create one with `pnpm cli campaigns create --name "Ventas" --id 7`';
  printTable(["id", "name", "description"], rows, empty);
}
