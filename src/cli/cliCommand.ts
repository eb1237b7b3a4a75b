import type { Writable } from 'node:stream';

/** Streams a command writes to (injected so tests and the sidecar can capture them). */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
}

/** One `mockjutsu <name>` subcommand. */
export interface CliCommand {
  name: string;
  /** Full text for `mockjutsu <name> --help`. */
  help: string;
  /** Runs the command; resolves to the exit code (0 ok, 1 runtime error). Throws UsageError for exit 2. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A bad flag or value: the CLI prints the message and the command's usage line, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
