import { readFileSync } from 'node:fs';
import { MockjutsuError } from '../core/index.js';
import { UsageError, type CliCommand, type CliIo } from './cliCommand.js';
import { findCommand, listCommands } from './commands.js';
import { InterruptedError } from './writeOutput.js';

/** The package version (package.json sits two levels up from both src/cli and dist/cli). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const USAGE = 'Usage: mockjutsu <command> [options]   (mockjutsu <command> --help for its options)';

async function topHelp(): Promise<string> {
  const commands = await listCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return `mockjutsu ${packageVersion()}: deterministic, Markov-chain session traffic for load tests of event-sourced systems

${USAGE}

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options:
  -h, --help        this help (mockjutsu <command> --help: the command's)
  -V, --version     the version

Examples:
  mockjutsu generate event_stream --seed 42 --pretty
  mockjutsu export event_stream --count 100000 --format ndjson --out sessions.ndjson
  mockjutsu export event_stream --count 1000 --format sql --dialect mysql | mysql test
  mockjutsu domain --print shop --format yaml > my-shop.yaml
  mockjutsu export event_stream --domain my-shop.yaml --count 1000 --out sessions.ndjson
  mockjutsu domain --stats my-shop.yaml
`;
}

/** The "Usage:" line of a command's help. */
function usageLine(command: CliCommand): string {
  return command.help.split('\n').find((l) => /^usage:/i.test(l)) ?? `Usage: mockjutsu ${command.name} --help`;
}

/** Arguments before a `--` terminator. */
function flagsOf(args: string[]): string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

// By name too: a command's module is loaded on use (dynamic import), and a host that loaded this
// file through require (mocha on Node >= 20.19 with require(esm)) holds a second copy of the
// error classes, so instanceof alone would call a usage error a runtime error (exit 1, not 2).
function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError || (e instanceof Error && e.name === 'UsageError');
}

function isInterruptedError(e: unknown): e is InterruptedError {
  return e instanceof InterruptedError || (e instanceof Error && e.name === 'InterruptedError' && typeof (e as InterruptedError).exitCode === 'number');
}

function isMockjutsuError(e: unknown): e is MockjutsuError {
  return e instanceof MockjutsuError || (e instanceof Error && e.name === 'MockjutsuError' && typeof (e as MockjutsuError).code === 'string');
}

/**
 * Runs `mockjutsu <argv>`; resolves to the exit code: 0 ok, 1 runtime error, 2 usage error
 * (UsageError or MockjutsuError), 129/130/143 interrupted.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(await topHelp());
    return 2;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout.write(await topHelp());
    return 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(packageVersion() + '\n');
    return 0;
  }
  const name = first === 'help' ? rest[0]! : first;
  const command = name.startsWith('-') ? undefined : await findCommand(name);
  if (command === undefined) {
    const names = (await listCommands()).map((c) => c.name).join(', ');
    const what = name.startsWith('-') ? `unknown option ${name}; allowed before a command: --help, --version` : `unknown command ${JSON.stringify(name)}; commands: ${names}`;
    io.stderr.write(`mockjutsu: ${what}\n${USAGE}\n`);
    return 2;
  }
  if (first === 'help' || flagsOf(rest).some((a) => a === '--help' || a === '-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isUsageError(e) || isMockjutsuError(e)) {
      io.stderr.write(`mockjutsu ${command.name}: ${e.message}\n${usageLine(command)}\n`);
      return 2;
    }
    if (isInterruptedError(e)) {
      io.stderr.write(`mockjutsu ${command.name}: ${e.message}\n`);
      return e.exitCode;
    }
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0; // the reader went away (| head)
    io.stderr.write(`mockjutsu ${command.name}: error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env['MOCKJUTSU_DEBUG']) io.stderr.write(String((e as Error).stack) + '\n');
    return 1;
  }
}
