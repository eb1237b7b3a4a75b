import type { CliCommand } from './cliCommand.js';
import { bulkCommand, exportCommand } from './commands/exportCommand.js';
import { generateCommand } from './commands/generateCommand.js';
import { mockEventCommand } from './commands/mockEventCommand.js';
import { modelCommand } from './commands/modelCommand.js';
import { recordsCommand } from './commands/recordsCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { verifyCommand } from './commands/verifyCommand.js';

/** Every command, in the order `mockjutsu --help` lists them. One static list: no optional modules. */
export const COMMANDS: readonly CliCommand[] = [generateCommand, bulkCommand, exportCommand, mockEventCommand, modelCommand, recordsCommand, serveCommand, verifyCommand];

/** The command called `name`; undefined if none. */
export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Every command. */
export function listCommands(): readonly CliCommand[] {
  return COMMANDS;
}
