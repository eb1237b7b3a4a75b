// Export speed: the CLI (`node dist/cli.js export ... > /dev/null`, a child process) against
// the core's chunk generators iterated in this process, per format, plus the CLI's peak RSS.
// CPU time (user + system) is the main figure: steadier than wall time when other work shares
// the machine. Needs dist/ (npm run bench builds it) and /usr/bin/time for the CLI's figures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventStream, ndjsonChunks, sessionIterator, serializeSession } from '../src/index.js';
import { eventCsvChunks } from '../src/formats/csvSerializer.js';
import { eventSqlChunks } from '../src/formats/sqlSerializer.js';
import { jsonArrayChunks } from '../src/formats/index.js';

const SESSIONS = 100_000;
const SEED = 'bench';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TIME = '/usr/bin/time';

type Format = 'ndjson' | 'json' | 'csv' | 'sql';

const core: Record<Format, () => Iterable<string>> = {
  ndjson: () => ndjsonChunks(eventStream({ seed: SEED, sessions: SESSIONS })),
  json: () => jsonArrayChunks(sessionIterator({ seed: SEED, sessions: SESSIONS }), serializeSession, false),
  csv: () => eventCsvChunks(eventStream({ seed: SEED, sessions: SESSIONS })),
  sql: () => eventSqlChunks(eventStream({ seed: SEED, sessions: SESSIONS })),
};

function coreRun(format: Format): { cpu: number; chars: number } {
  const t0 = process.cpuUsage();
  let chars = 0;
  for (const chunk of core[format]()) chars += chunk.length;
  const d = process.cpuUsage(t0);
  return { cpu: (d.user + d.system) / 1e6, chars };
}

function timed(argv: string[], pipe: boolean): { wall: number; cpu: number; rssMb: number } | undefined {
  if (!existsSync(TIME) || !existsSync(CLI)) return undefined;
  const quoted = [TIME, '-f', '%e %U %S %M', process.execPath, CLI, ...argv].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${quoted} ${pipe ? '| cat' : ''} > /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const [wall, user, sys, rssKb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys!, rssMb: rssKb! / 1024 };
}

function cliArgs(format: Format): string[] {
  return ['export', 'event_stream', '--count', String(SESSIONS), '--seed', SEED, '--format', format];
}

export default async function exportBench(): Promise<void> {
  let events = 0;
  for (const _ of eventStream({ seed: SEED, sessions: SESSIONS })) events++;
  console.log(`export event_stream --count ${SESSIONS} (${events} events); core: chunks generated in this process, no I/O;`);
  console.log('CLI: node dist/cli.js > /dev/null, and | cat > /dev/null (a pipe: backpressure matters)');
  console.log('format  MB out   core ev/s (CPU)   CLI ev/s (CPU)  (wall)   RSS    CLI|cat ev/s (wall)   RSS');
  const k = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  const mb = (n: number) => `${n.toFixed(0).padStart(4)} MB`;
  for (const format of ['ndjson', 'json', 'csv', 'sql'] as const) {
    const c = coreRun(format);
    const file = timed(cliArgs(format), false);
    const pipe = timed(cliArgs(format), true);
    const cli = file && pipe
      ? `${k(events / file.cpu)}  ${k(events / file.wall)}  ${mb(file.rssMb)}   ${k(events / pipe.wall)}       ${mb(pipe.rssMb)}`
      : '(no /usr/bin/time or dist/cli.js)';
    console.log(`${format.padEnd(6)} ${(c.chars / 1e6).toFixed(0).padStart(6)}   ${k(events / c.cpu)}       ${cli}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await exportBench();
