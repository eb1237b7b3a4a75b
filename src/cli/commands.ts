import type { CliCommand } from './cliCommand.js';

/** A command as `mockjutsu --help` lists it; its module is loaded only when it runs. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `mockjutsu --help`. */
  readonly summary: string;
  load(): Promise<CliCommand>;
}

/**
 * Every command, in the order `mockjutsu --help` lists them: one static list. Each module loads
 * on use, so `export` does not pay for fastify, the schema loader and the recorder at start-up
 * (`mockjutsu --version` took 0.37 s with every command imported, 0.18 s for export alone).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'generate', summary: 'print one session (or one item of another type) as JSON', load: async () => (await import('./commands/generateCommand.js')).generateCommand },
  { name: 'bulk', summary: 'print N sessions (or items) as one JSON array', load: async () => (await import('./commands/exportCommand.js')).bulkCommand },
  { name: 'export', summary: 'write N sessions (or items) as json, ndjson, csv or sql, streamed to stdout or a file', load: async () => (await import('./commands/exportCommand.js')).exportCommand },
  { name: 'domain', summary: 'print a built-in domain, check a domain file, its statistics (exact or simulated), draw it, compile it for k6', load: async () => (await import('./commands/domainCommand.js')).domainCommand },
  { name: 'mock-event', summary: 'write mock events from an OpenAPI, JSON Schema, AsyncAPI or EventBridge schema file', load: async () => (await import('./commands/mockEventCommand.js')).mockEventCommand },
  { name: 'model', summary: 'mockjutsu domain for a Markov model file (the shop with its chain): check, statistics, diagram', load: async () => (await import('./commands/modelCommand.js')).modelCommand },
  { name: 'records', summary: 'list or print what a data-creation run recorded (recorder-data/, mite format too)', load: async () => (await import('./commands/recordsCommand.js')).recordsCommand },
  { name: 'serve', summary: 'run the HTTP sidecar (REST API, per-thread session streams for JMeter, event-store replay target)', load: async () => (await import('./commands/serveCommand.js')).serveCommand },
  { name: 'verify', summary: 'check an event store (sidecar URL or JSONL file) against the regenerated run', load: async () => (await import('./commands/verifyCommand.js')).verifyCommand },
];

/** The command called `name`, loaded; undefined if none. */
export async function findCommand(name: string): Promise<CliCommand | undefined> {
  const entry = COMMANDS.find((c) => c.name === name);
  return entry === undefined ? undefined : entry.load();
}

/** Every command's name and summary (nothing loaded). */
export function listCommands(): readonly CommandEntry[] {
  return COMMANDS;
}
