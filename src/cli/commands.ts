import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './cliCommand.js';
import { generateCommand } from './generateCommand.js';
import { bulkCommand, exportCommand } from './exportCommand.js';
import { modelCommand } from './modelCommand.js';

/** Commands this module implements. */
const BUILT_IN: readonly CliCommand[] = [generateCommand, bulkCommand, exportCommand, modelCommand];

/** A command another module provides; left out while that module does not exist. */
interface OptionalCommand {
  name: string;
  /** Module path relative to this file, as in an import. */
  module: string;
  exportName: string;
}

const OPTIONAL: readonly OptionalCommand[] = [
  { name: 'serve', module: '../sidecar/serveCommand.js', exportName: 'serveCommand' },
  { name: 'verify', module: '../verify/verifyCommand.js', exportName: 'verifyCommand' },
];

function isCliCommand(x: unknown): x is CliCommand {
  const c = x as CliCommand;
  return typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.summary === 'string' &&
    typeof c.help === 'string' && typeof c.run === 'function';
}

async function loadOptional(entry: OptionalCommand): Promise<CliCommand | undefined> {
  const url = new URL(entry.module, import.meta.url);
  const file = fileURLToPath(url);
  // Under tsx the source is a .ts file. Only a missing module leaves the command out; a module
  // that exists but fails to load is an error worth seeing.
  if (!existsSync(file) && !existsSync(file.replace(/\.js$/, '.ts'))) return undefined;
  // A variable specifier: tsc does not resolve it, so the build passes before the module exists.
  const specifier: string = url.href;
  const mod = (await import(specifier)) as Record<string, unknown>;
  const command = mod[entry.exportName];
  if (!isCliCommand(command)) throw new Error(`${entry.module} does not export a CliCommand named ${entry.exportName}`);
  return command;
}

/** The command called `name`, loading it if another module provides it; undefined if none. */
export async function findCommand(name: string): Promise<CliCommand | undefined> {
  const builtIn = BUILT_IN.find((c) => c.name === name);
  if (builtIn) return builtIn;
  const optional = OPTIONAL.find((c) => c.name === name);
  return optional ? loadOptional(optional) : undefined;
}

/** Every available command, built-in first. */
export async function listCommands(): Promise<CliCommand[]> {
  const loaded = await Promise.all(OPTIONAL.map(loadOptional));
  return [...BUILT_IN, ...loaded.filter((c): c is CliCommand => c !== undefined)];
}
