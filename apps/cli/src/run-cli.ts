import { cliSettings, parseEnv } from "@anura/config";
import { apiKeysCommand } from "./commands/api-keys.ts";
import { callsCommand } from "./commands/calls.ts";
import { campaignsCommand } from "./commands/campaigns.ts";
import { cdrsCommand } from "./commands/cdrs.ts";
import { jobsCommand } from "./commands/jobs.ts";
import { personalDataCommand } from "./commands/personal-data.ts";
import { replayCommand } from "./commands/replay.ts";
import { simulateCallCommand } from "./commands/simulate-call.ts";
import { createCliContext } from "./context.ts";
import { describeError, UsageError } from "./errors.ts";
import type { Command } from "./subcommands.ts";
import { USAGE } from "./usage.ts";

const COMMANDS: Record<string, Command> = {
  "api-keys": apiKeysCommand,
  campaigns: campaignsCommand,
  calls: callsCommand,
  replay: replayCommand,
  cdrs: cdrsCommand,
  jobs: jobsCommand,
  "personal-data": personalDataCommand,
  "simulate-call": simulateCallCommand,
};

/**
 * Run one command and return the process exit code: 0 done, 1 failed, 2 not understood. The
 * environment is read once, here, into the settings every command gets.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    await command(args, createCliContext(parseEnv(cliSettings, env)));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`error: ${describeError(error)}`);
    return 1;
  }
}
