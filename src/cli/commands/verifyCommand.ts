import { writeFile } from 'node:fs/promises';
import { MockjutsuError, type GeneratorOptions } from '../../core/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseCommandArgs, parseIntegerFlag } from '../commandArgs.js';
import { loadModelFlag, parseStartFlag, parseUsersFlag } from '../generatorFlags.js';
import { DOMAIN_FLAGS, domainFlagsHelp, resolveDomainFlags } from '../domainFlags.js';
import { StoreReadError } from '../../verify/foundRecord.js';
import { MAX_EXPECTED_SESSIONS } from '../../verify/expectedStreams.js';
import { formatVerifySummary } from '../../verify/verifyReport.js';
import { verifyStreams } from '../../verify/verifyStreams.js';

/** Exit code when the store could not be read (as opposed to 1: it was read and differs). */
export const EXIT_STORE_UNREADABLE = 3;

const USAGE = 'mockjutsu verify --seed S --partitions LIST --sessions K --against FILE|URL [--report FILE|-] [--domain NAME|FILE] [--param N=V] [--users N|FILE] [--start T] [--model FILE] [--token T] [--allow-incomplete]';

const HELP = `Usage: ${USAGE}

Regenerates the streams a load test sent (sessions 0..K-1 of every partition, from the seed) and
compares them with what the event store holds: lost, duplicated, reordered, altered (the
differing fields named), misplaced (stored in another stream) and unexpected events or streams.
Events are matched by event_id, stream and order, and by data, not by global positions. A retried
write the store answered idempotently left one record, so it is not a difference.

Options:
  --seed S            the seed of the run (required)
  --partitions LIST   partitions that ran, comma-separated; A-B is the numeric range A..B:
                      "1-10" (k6 VU ids), "0,2,5", "vu-1,vu-2" (JMeter thread keys)
  --sessions K        sessions 0..K-1 of every partition were sent (1..${MAX_EXPECTED_SESSIONS} in all)
  --against SRC       the store: the URL of a sidecar started with --store (read through GET /all),
                      its JSONL file, or an NDJSON file of generated events. Repeat it for the
                      shards of one run (export --partitions files made on several machines)
  --report FILE       also write the JSON report to FILE ("-": to stdout, the summary then goes to stderr)
  --users N|FILE, --start T, --model FILE
                      the generator options of the run, when it used other than the defaults
${domainFlagsHelp()}
                     verify regenerates the domain's sessions and reads stored events under its
                     envelope's field names (eventType, streamId, version...)
  --token T           bearer token of a sidecar started with --token (default: MOCKJUTSU_TOKEN)
  --allow-incomplete  the run stopped part-way (a time-limited k6 test): per partition, events
                      after the last stored one count as not sent, not lost (--sessions is then
                      an upper bound); a gap before it is still a loss
  -h, --help          this text

Exit status: 0 no difference, 1 differences, 2 bad usage, ${EXIT_STORE_UNREADABLE} the store could not be read.

Example:
  mockjutsu serve --store events.jsonl --seed 42 &
  k6 run -e SEED=42 -e VUS=10 -e SESSIONS=4 k6-scripts/02-session-batches.js
  mockjutsu verify --seed 42 --partitions 1-10 --sessions 4 --against events.jsonl --report report.json
`;

/** Rewords the core's "sessions is ..." as "--sessions is ...". */
function withFlagName(err: unknown): unknown {
  if (err instanceof MockjutsuError && err.path !== undefined && /^(seed|sessions|partitions|users|start)$/.test(err.path) && err.message.startsWith(err.path)) {
    return new UsageError('--' + err.message);
  }
  return err;
}

const VERIFY_FLAGS = {
  ...DOMAIN_FLAGS,
  seed: { type: 'string' },
  partitions: { type: 'string' },
  sessions: { type: 'string' },
  against: { type: 'string', multiple: true },
  report: { type: 'string' },
  users: { type: 'string' },
  start: { type: 'string' },
  model: { type: 'string' },
  token: { type: 'string' },
  'allow-incomplete': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `mockjutsu verify`: checks a store against the regenerated run. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, VERIFY_FLAGS, 0);
    if (values['help'] === true) {
      io.stdout.write(HELP);
      return 0;
    }
    const str = (name: Exclude<keyof typeof VERIFY_FLAGS, 'against' | 'param'>): string | undefined => values[name] as string | undefined;
    const against = (values['against'] as string[] | undefined) ?? [];
    const missing = (['seed', 'partitions', 'sessions'] as const).filter((n) => str(n) === undefined || str(n) === '');
    if (against.length === 0 || against.some((a) => a === '')) missing.push('against' as never);
    if (missing.length > 0) throw new UsageError(`missing ${missing.map((n) => '--' + n).join(', ')}; verify regenerates the run from them`);
    const sessions = parseIntegerFlag(str('sessions')!, '--sessions', 1, MAX_EXPECTED_SESSIONS);
    const generator: Omit<GeneratorOptions, 'seed'> = { ...(await resolveDomainFlags(values)).options };
    if (str('users') !== undefined) generator.users = parseUsersFlag(str('users')!, '--users');
    if (str('start') !== undefined) generator.start = parseStartFlag(str('start')!);
    if (str('model') !== undefined) generator.model = await loadModelFlag(str('model')!);
    const reportFile = str('report');
    const token = str('token') ?? (process.env['MOCKJUTSU_TOKEN'] || undefined);

    let report;
    try {
      report = await verifyStreams({ seed: str('seed')!, partitions: str('partitions')!, sessions, against, generator, token, allowIncomplete: values['allow-incomplete'] === true });
    } catch (err) {
      if (err instanceof StoreReadError) {
        io.stderr.write(`mockjutsu verify: ${err.message}\n`);
        return EXIT_STORE_UNREADABLE;
      }
      throw withFlagName(err);
    }
    const json = JSON.stringify(report, null, 2) + '\n';
    const summary = formatVerifySummary(report);
    if (reportFile === '-') {
      io.stdout.write(json);
      io.stderr.write(summary);
    } else {
      if (reportFile !== undefined) {
        try {
          await writeFile(reportFile, json);
        } catch (err) {
          io.stderr.write(`mockjutsu verify: cannot write the report to ${reportFile}: ${(err as Error).message}\n`);
          io.stdout.write(summary);
          return 1;
        }
      }
      io.stdout.write(summary + (reportFile === undefined ? '' : `report: ${reportFile}\n`));
    }
    return report.ok ? 0 : 1;
  },
};
