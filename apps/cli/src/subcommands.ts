import type { CliContext } from "./context.ts";
import { UsageError } from "./errors.ts";

export type Command = (args: string[], cli: CliContext) => Promise<void>;

/** Route `<group> <subcommand> ...args` to its handler; an unknown subcommand is a usage error. */
export function dispatch(group: string, handlers: Record<string, Command>, args: string[], cli: CliContext): Promise<void> {
  const [name, ...rest] = args;
  const handler = name !== undefined && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) {
    const known = Object.keys(handlers).join(", ");
    throw new UsageError(name ? `unknown ${group} command "${name}" (expected ${known})` : `${group} needs a command: ${known}`);
  }
  return handler(rest, cli);
}
