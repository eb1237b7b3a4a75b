import { csvRow } from '../../formats/index.js';
import { readRecords, type RecordsRead } from '../../recorder/recordFile.js';
import { findRecordFile, listRecordFiles } from '../../recorder/recorder.js';
import { UsageError, type CliCommand, type CliIo } from '../cliCommand.js';
import { parseChoiceFlag, parseCommandArgs, rejectFlags } from '../commandArgs.js';

const RECORDS_FORMATS = ['ndjson', 'json', 'csv'] as const;
type RecordsFormat = (typeof RECORDS_FORMATS)[number];

/** Where a data-creation run records by default (mite's name for it). */
export const DEFAULT_RECORDS_DIR = 'recorder-data';

const RECORDS_FLAGS = {
  list: { type: 'boolean' },
  dir: { type: 'string', short: 'd' },
  format: { type: 'string', short: 'f' },
} as const;

const HELP = `Usage: mockjutsu records --list [--dir DIR]
       mockjutsu records NAME [--format ndjson|json|csv] [--dir DIR]

Shows what a data-creation run recorded: one file per name under DIR, NAME.msgpack
(MessagePack items back to back, the format of mite's recorder) or NAME.ndjson.

      --list           the record names with their format, item count and size
  -d, --dir DIR        the record directory (default ${DEFAULT_RECORDS_DIR})
  -f, --format F       how NAME's items are printed: ndjson (default, one per line), json (one
                       array) or csv (a header of the items' keys, in first-seen order; nested
                       values as JSON text). Binary values print as base64 text.

A last item that a crash cut short is not printed; stderr says how many bytes were ignored.

Exit status: 0 done, 2 usage error, unknown NAME or records that cannot be read.`;

/** JSON of a recorded value: binary (MessagePack bin) becomes base64 text. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

function csvText(items: unknown[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new UsageError(`--format csv needs items that are objects (one row each); an item is ${Array.isArray(item) ? 'an array' : item === null ? 'null' : typeof item}: use --format ndjson or json`);
    }
    for (const k of Object.keys(item)) if (!seen.has(k)) { seen.add(k); columns.push(k); }
  }
  const cell = (v: unknown): string | number | boolean | null => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return toJson(v);
  };
  let out = csvRow(columns);
  for (const item of items) out += csvRow(columns.map((c) => cell((item as Record<string, unknown>)[c])));
  return out;
}

function render(read: RecordsRead, format: RecordsFormat): string {
  if (format === 'ndjson') return read.items.map((i) => toJson(i) + '\n').join('');
  if (format === 'json') return toJson(read.items) + '\n';
  return csvText(read.items);
}

/** `mockjutsu records`: list or print what the recorder wrote. */
export const recordsCommand: CliCommand = {
  name: 'records',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, RECORDS_FLAGS, 1);
    const dir = values.dir ?? DEFAULT_RECORDS_DIR;
    if (values.list === true) {
      if (positionals.length > 0) throw new UsageError('give either --list or a NAME, not both');
      rejectFlags(values, ['format'], 'applies to printing one NAME, not to --list');
      const files = listRecordFiles(dir);
      if (files.length === 0) {
        io.stderr.write(`mockjutsu records: no .msgpack or .ndjson files in ${dir}\n`);
        return 0;
      }
      const rows = files.map((f) => {
        const read = readRecords(f.file);
        return [f.name, f.format, String(read.items.length), String(f.bytes), read.ignoredBytes > 0 ? `${read.ignoredBytes} bytes of a torn last item ignored` : ''];
      });
      const header = ['name', 'format', 'items', 'bytes', ''];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]): string => r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
      io.stdout.write(line(header) + rows.map(line).join(''));
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('give a record NAME to print, or --list');
    const format = values.format === undefined ? 'ndjson' : parseChoiceFlag(values.format, '--format', RECORDS_FORMATS);
    const file = findRecordFile(dir, positionals[0]!);
    const read = readRecords(file.file);
    io.stdout.write(render(read, format));
    if (read.ignoredBytes > 0) io.stderr.write(`mockjutsu records: ${file.file}: ignored the last ${read.ignoredBytes} bytes, an item a crash cut short\n`);
    return 0;
  },
};
