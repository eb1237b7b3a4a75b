import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { BUILT_IN_DOMAINS, ENVELOPE_KINDS, jutsu } from '../../core/index.js';
import { SQL_DIALECTS, checkTableName, type SqlDialect } from '../../formats/index.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, parseIntegerFlag, rejectFlags, type FlagValues } from '../commandArgs.js';
import { GENERATOR_FLAGS, GENERATOR_FLAGS_HELP, reportSeed, resolveGeneratorFlags, withFlagNames } from '../generatorFlags.js';
import { EXPORT_FORMATS, exportChunks, type ExportFormat, type ExportPlan } from '../exportChunks.js';
import { parallelExport, type OutputWritten } from '../parallelExport.js';
import { AUTO_THREADS_MAX, AUTO_THREADS_MIN_PER_PARTITION, AUTO_THREADS_MIN_SESSIONS, exportThreads } from '../exportThreads.js';
import { parsePartitions } from '../../core/index.js';
import { progressBarFor } from '../progressBar.js';
import { writeOutput } from '../writeOutput.js';

/** Most items one export may write (the streams are endless; this keeps numbers exact). */
export const MAX_EXPORT_COUNT = 1_000_000_000_000;

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv', '.sql': 'sql' };

const EXPORT_FLAGS = {
  ...GENERATOR_FLAGS,
  count: { type: 'string', short: 'n' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  pretty: { type: 'boolean' },
  dialect: { type: 'string' },
  table: { type: 'string' },
  partitions: { type: 'string' },
  workers: { type: 'string' },
  envelope: { type: 'string' },
} as const;

/** The type positional: required, and one of the known types. */
export function typeArgument(positionals: string[]): string {
  const type = positionals[0];
  if (type === undefined) throw new UsageError(`missing <type>; known types: ${jutsu.types().join(', ')}`);
  if (!jutsu.types().includes(type)) {
    // the sidecar and JMeter name a domain's sessions by the domain; the CLI by --domain
    const domain = Object.prototype.hasOwnProperty.call(BUILT_IN_DOMAINS, type) ? type : 'NAME|FILE';
    throw new UsageError(`unknown type ${JSON.stringify(type)}; known types: ${jutsu.types().join(', ')} (a domain's sessions are the type event_stream with --domain: event_stream --domain ${domain})`);
  }
  return type;
}

/** `--count` (required). */
export function countFlag(value: string | undefined): number {
  if (value === undefined) throw new UsageError(`missing --count; give the number of items (sessions for event_stream), 1 to ${MAX_EXPORT_COUNT}`);
  return parseIntegerFlag(value, '--count', 1, MAX_EXPORT_COUNT);
}

/**
 * `--format`, else the format the `--out` extension names, else ndjson. An extension that names
 * no format (`x.parquet`) is a usage error rather than NDJSON under a misleading name.
 */
export function exportFormat(format: string | undefined, out: string | undefined): ExportFormat {
  if (format !== undefined) return parseChoiceFlag(format, '--format', EXPORT_FORMATS);
  if (out === undefined || out === '-') return 'ndjson';
  const ext = extname(out).toLowerCase();
  if (ext === '') return 'ndjson';
  const byExtension = Object.prototype.hasOwnProperty.call(FORMAT_BY_EXTENSION, ext) ? FORMAT_BY_EXTENSION[ext] : undefined;
  if (byExtension === undefined) {
    throw new UsageError(`--out ${JSON.stringify(out)}: the extension ${ext} names no export format; use ${Object.keys(FORMAT_BY_EXTENSION).join(' ')} or give --format ${EXPORT_FORMATS.join('|')}`);
  }
  return byExtension;
}

/** Most worker threads `--workers` starts. */
export const MAX_WORKERS = 64;

/** `--partitions LIST` (event_stream only, not with --partition). */
function partitionsFlag(text: string, values: { partition?: string }): string[] {
  if (values.partition !== undefined) throw new UsageError('--partition and --partitions exclude each other; give one partition or a list');
  try {
    return parsePartitions(text, 'partitions');
  } catch (e) {
    throw new UsageError('--' + (e as Error).message);
  }
}

/** Shared by `export` and `bulk`: validate everything, report the seed, then stream. */
async function runExport(type: string, format: ExportFormat, values: FlagValues<typeof EXPORT_FLAGS>, io: CliIo): Promise<number> {
  const count = countFlag(values.count);
  if (type !== 'event_stream') rejectFlags(values, ['domain', 'param'], `applies to event_stream (a domain's sessions), not to ${type}`);
  if (format !== 'json') rejectFlags(values, ['pretty'], 'applies to --format json only');
  if (format !== 'sql') rejectFlags(values, ['dialect', 'table'], 'applies to --format sql only');
  const dialect: SqlDialect | undefined = values.dialect === undefined ? undefined : parseChoiceFlag(values.dialect, '--dialect', SQL_DIALECTS);
  if (values.table !== undefined) {
    try {
      checkTableName(values.table);
    } catch (e) {
      throw new UsageError('--' + (e as Error).message);
    }
  }
  const resolved = await withFlagNames(() => resolveGeneratorFlags(values));
  // Not when the data itself scrolls by on the same terminal.
  const toFile = values.out !== undefined && values.out !== '-';
  const progress = toFile || (io.stdout as { isTTY?: boolean }).isTTY !== true
    ? progressBarFor(io.stderr, count, type === 'event_stream' ? 'sessions' : 'items')
    : undefined;
  const partitions = values.partitions === undefined ? undefined : partitionsFlag(values.partitions, values);
  const workers = values.workers === undefined ? undefined : parseIntegerFlag(values.workers, '--workers', 1, MAX_WORKERS);
  const plan: ExportPlan = {
    type, format, count, options: resolved.options, partitions, pretty: values.pretty, dialect, table: values.table, counter: progress?.counter,
    envelope: values.envelope === undefined ? undefined : parseChoiceFlag(values.envelope, '--envelope', ENVELOPE_KINDS),
  };
  // Options are checked here, before the output is opened (the workers see valid ones only).
  const sequential = await withFlagNames(async () => exportChunks(plan));
  const enveloped = plan.envelope !== undefined && plan.envelope !== 'none';
  const output: OutputWritten = {};
  const shape = { sessions: count * (partitions?.length ?? 1), perPartition: count, userRecords: typeof resolved.options.users === 'object' };
  const threads = exportThreads(workers, shape, availableParallelism());
  const chunks = type === 'event_stream' && threads > 1 && !enveloped ? parallelExport(plan, threads, undefined, output) : sequential;
  await writeOutput(chunks, { out: values.out, io, progress, output, onOpen: () => reportSeed(resolved, io) });
  return 0;
}

const WORKERS_HELP = `      --workers N      threads that generate and serialise event_stream sessions in
                       parallel, 1..${MAX_WORKERS}: this one and N-1 worker threads, at most the
                       number of cores; 1 turns them off. Default: the cores, up to ${AUTO_THREADS_MAX}
                       threads (each adds ~25 MB of RSS), once the export has ${AUTO_THREADS_MIN_SESSIONS.toLocaleString('en-US')}
                       sessions or more, at least ${AUTO_THREADS_MIN_PER_PARTITION} a partition, and no --users FILE
                       (else a worker's start costs more than it gives), else 1. The
                       output is byte-identical whatever N`;

/** `mockjutsu export`: N items of a type as json, ndjson, csv or sql, streamed. */
export const exportCommand: CliCommand = {
  name: 'export',
  help: `Usage: mockjutsu export <type> --count N [--format json|ndjson|csv|sql] [--out FILE] [options]

Writes items 0..N-1 of <type> (for event_stream: N sessions) in constant memory, at the core's
speed. Types: ${jutsu.types().join(', ')}.

Options:
  -n, --count N        items to write (sessions for event_stream), 1..${MAX_EXPORT_COUNT} (required)
  -f, --format FMT     json    one JSON array of sessions (the bytes of jutsu.bulk)
                       ndjson  one event per line (one item per line for other types)
                       csv     RFC 4180 (CRLF), header row, one row per event: the envelope
                               as columns, the payload as a JSON column
                       sql     CREATE TABLE IF NOT EXISTS, then INSERTs of 500 rows in one
                               transaction (primary key event_id, unique (stream_id,
                               stream_version))
                       default: from the --out extension (.json .ndjson .jsonl .csv .sql;
                       another extension is an error), else ndjson
  -o, --out FILE       write FILE atomically: a temp file in the same directory, fsync,
                       rename; on error or Ctrl-C nothing appears under FILE (default stdout).
                       A device, FIFO or socket (or a symlink to one) is written through,
                       like stdout; a symlink to a file keeps the link and replaces its target
      --pretty         indent the JSON (--format json only)
      --dialect D      SQL dialect: postgres (default; uuid, timestamptz, jsonb), sqlite
                       (TEXT, INTEGER), mysql (CHAR(36), DATETIME(3) in UTC, JSON; MariaDB too)
      --table NAME     SQL table, optionally schema.table (default: events; users for user)
      --partitions L   event_stream: --count sessions of EACH partition in L, one partition
                       after the other, each numbered from global position 1 as its own
                       stream (createSessionStream({ seed, partition })); L is "1-100",
                       "0,2,5" or "vu-1,vu-2". Machines that export disjoint ranges give
                       disjoint shards whose union is the whole range (verify takes them all)
      --envelope E     none (default), cloudevents (CloudEvents 1.0, the event in data) or
                       eventbridge (the event in detail): every event of every type, json and
                       ndjson only
${WORKERS_HELP}

The user type also exports to csv and sql: a flat table of profiles (primary key user_id;
profiles repeat once N exceeds --users, and the SQL skips the repeats).

${GENERATOR_FLAGS_HELP}

A progress bar (count, rate, ETA) is drawn on stderr when it is a terminal (and stdout is not).
Exit status: 0 done, 1 runtime error, 2 usage error, 129/130/143 interrupted (SIGHUP/SIGINT/SIGTERM).`,

  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, EXPORT_FLAGS, 1);
    const type = typeArgument(positionals);
    return runExport(type, exportFormat(values.format, values.out), values, io);
  },
};

const BULK_FLAGS = {
  ...GENERATOR_FLAGS,
  count: { type: 'string', short: 'n' },
  out: { type: 'string', short: 'o' },
  pretty: { type: 'boolean' },
  envelope: { type: 'string' },
  workers: { type: 'string' },
} as const;

/** `mockjutsu bulk`: N items as one JSON array (streamed). */
export const bulkCommand: CliCommand = {
  name: 'bulk',
  help: `Usage: mockjutsu bulk <type> --count N [--pretty] [--out FILE] [--workers N] [options]

Prints items 0..N-1 of <type> (for event_stream: N sessions) as one JSON array: the same
bytes as JSON.stringify(jutsu.bulk(type, { count: N, ... })), streamed in constant memory.
Types: ${jutsu.types().join(', ')}. The same as: mockjutsu export <type> --format json.

Options:
  -n, --count N        items to print, 1..${MAX_EXPORT_COUNT} (required)
      --pretty         indent the JSON (2 spaces)
  -o, --out FILE       write FILE atomically instead of stdout
${WORKERS_HELP}

${GENERATOR_FLAGS_HELP}

Exit status: 0 done, 1 runtime error, 2 usage error, 129/130/143 interrupted (SIGHUP/SIGINT/SIGTERM).`,

  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, BULK_FLAGS, 1);
    return runExport(typeArgument(positionals), 'json', values, io);
  },
};
