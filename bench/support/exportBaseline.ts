// The export bench's baseline, run as a child with its stdout on the same file or pipe as the
// CLI's: events built first (not timed), then the naive way to write them, timed: NDJSON by
// JSON.stringify, CSV by a field map and join, SQL by multi-row INSERTs from joined tuples.
// Prints { seconds, cpu, events, bytes } as JSON on stderr (cpu: user + system seconds of the timed part).
import { eventStream, type SessionEvent } from '../../src/core/index.js';

const [format = 'ndjson', sessionsArg = '20000', seed = 'bench'] = process.argv.slice(2);
const events: SessionEvent[] = [...eventStream({ seed, sessions: Number(sessionsArg) })];

const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
const sqlValue = (v: unknown): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : "'" + (typeof v === 'string' ? v : JSON.stringify(v)).replace(/'/g, "''") + "'";
const COLUMNS = Object.keys(events[0]!) as Array<keyof SessionEvent>;

const line: Record<string, (e: SessionEvent) => string> = {
  ndjson: (e) => JSON.stringify(e) + '\n',
  csv: (e) => COLUMNS.map((c) => csvField(e[c])).join(',') + '\r\n',
  sql: (e) => '(' + COLUMNS.map((c) => sqlValue(e[c])).join(',') + ')',
};

const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
let chunk = format === 'csv' ? COLUMNS.join(',') + '\r\n' : format === 'sql' ? 'BEGIN;\n' : '';
// Through process.stdout with backpressure, as the CLI writes to stdout.
let bytes = 0;
const write = (s: string): Promise<void> | void => {
  bytes += Buffer.byteLength(s, 'utf8');
  if (!process.stdout.write(s)) return new Promise((resolve) => process.stdout.once('drain', resolve));
};
for (let i = 0; i < events.length; i++) {
  if (format === 'sql') chunk += (i % 500 === 0 ? (i === 0 ? '' : ';\n') + 'INSERT INTO events VALUES\n' : ',\n') + line.sql!(events[i]!);
  else chunk += line[format]!(events[i]!);
  if (chunk.length >= 65536) {
    await write(chunk);
    chunk = '';
  }
}
await write(chunk + (format === 'sql' ? ';\nCOMMIT;\n' : ''));
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const c = process.cpuUsage(c0);
process.stderr.write(JSON.stringify({ seconds, cpu: (c.user + c.system) / 1e6, events: events.length, bytes }) + '\n');
