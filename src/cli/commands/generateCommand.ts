import { ENVELOPE_KINDS, jutsu } from '../../core/index.js';
import type { CliCommand, CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, parseIntegerFlag, rejectFlags } from '../commandArgs.js';
import { GENERATOR_FLAGS, GENERATOR_FLAGS_HELP, reportSeed, resolveGeneratorFlags, withFlagNames } from '../generatorFlags.js';
import { typeArgument } from './exportCommand.js';
import { writeOutput } from '../writeOutput.js';

const GENERATE_FLAGS = {
  ...GENERATOR_FLAGS,
  session: { type: 'string' },
  pretty: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  envelope: { type: 'string' },
} as const;

/** `mockjutsu generate`: one item as JSON. */
export const generateCommand: CliCommand = {
  name: 'generate',
  help: `Usage: mockjutsu generate <type> [--session K] [--pretty] [options]

Prints one item of <type> as JSON, the bytes of JSON.stringify(jutsu.generate(type, ...)):
for event_stream one session of the domain (--domain; default the shop), an array of events
from its start event to its terminal one.
Types: ${jutsu.types().join(', ')}.

Options:
      --session K      which item of the partition's sequence, 0.. (default 0); with --seed
                       and --partition it replays any one session
      --pretty         indent the JSON (2 spaces)
  -o, --out FILE       write FILE atomically instead of stdout
      --envelope E     none (default), cloudevents or eventbridge: every event (the item, for
                       other types) inside a standard envelope

${GENERATOR_FLAGS_HELP}

Exit status: 0 done, 1 runtime error, 2 usage error.`,

  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, GENERATE_FLAGS, 1);
    const type = typeArgument(positionals);
    if (type !== 'event_stream') rejectFlags(values, ['domain', 'param'], `applies to event_stream (a domain's sessions), not to ${type}`);
    const session = values.session === undefined ? undefined : parseIntegerFlag(values.session, '--session', 0, Number.MAX_SAFE_INTEGER);
    const resolved = await withFlagNames(() => resolveGeneratorFlags(values));
    const envelope = values.envelope === undefined ? 'none' : parseChoiceFlag(values.envelope, '--envelope', ENVELOPE_KINDS);
    const item = await withFlagNames(async () => jutsu.generate(type, { ...resolved.options, session, envelope }));
    // One item: JSON.stringify is the reference text of every domain's events.
    const text = values.pretty ? JSON.stringify(item, null, 2) : JSON.stringify(item);
    await writeOutput([text + '\n'], { out: values.out, io, onOpen: () => reportSeed(resolved, io) });
    return 0;
  },
};
