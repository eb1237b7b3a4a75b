// Export speed, end to end: `node dist/cli.js export` (start-up included) with --workers 1 and
// --workers <cores>, to a file (/dev/null) and through a pipe (| cat), against a baseline run
// in the same session through the same file or pipe: prebuilt events written the naive way
// (JSON.stringify for NDJSON, field map + join for CSV and SQL), its building not timed. Also
// the CLI's CPU time (user + system, every thread) and peak RSS. Needs dist/ (npm run bench
// builds it) and /usr/bin/time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

// Two sizes: start-up and JIT warm-up weigh on the first (and decide whether a worker pays,
// see src/cli/exportThreads.ts); the second shows the throughput. The baseline holds all its
// events (100,000 sessions: ~1M events, ~540 MB).
const SIZES = (process.env['MOCKJUTSU_BENCH_SESSIONS'] ?? '20000,100000').split(',').map(Number);
const ROUNDS = Number(process.env['MOCKJUTSU_BENCH_ROUNDS'] ?? 3);
const SEED = 'bench';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('./support/exportBaseline.ts', import.meta.url));
const CEILING = fileURLToPath(new URL('./support/outputCeiling.ts', import.meta.url));
const TIME = '/usr/bin/time';
const ALL_FORMATS = ['ndjson', 'csv', 'sql', 'json'] as const;
type Format = (typeof ALL_FORMATS)[number];
// MOCKJUTSU_BENCH_FORMATS=sql,csv: only those (each format's rows stand alone).
const FORMATS = (process.env['MOCKJUTSU_BENCH_FORMATS']?.split(',') ?? ALL_FORMATS).map((f) => {
  if (!(ALL_FORMATS as readonly string[]).includes(f)) throw new Error(`MOCKJUTSU_BENCH_FORMATS: ${JSON.stringify(f)} is not one of ${ALL_FORMATS.join(', ')}`);
  return f as Format;
});

interface Timed { wall: number; cpu: number; rssMb: number }

function sh(command: string, pipe: boolean): { stderr: string } {
  const r = spawnSync('sh', ['-c', `${command} ${pipe ? '| cat' : ''} > /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return { stderr: r.stderr };
}

const quote = (args: string[]) => args.map((a) => `'${a}'`).join(' ');

function cli(sessions: number, format: Format, workers: number, pipe: boolean): Timed {
  const args = ['export', 'event_stream', '--count', String(sessions), '--seed', SEED, '--format', format, '--workers', String(workers)];
  const { stderr } = sh(quote([TIME, '-f', '%e %U %S %M', process.execPath, CLI, ...args]), pipe);
  const [wall, user, sys, rssKb] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys!, rssMb: rssKb! / 1024 };
}

function baseline(sessions: number, format: Format, pipe: boolean): { seconds: number; cpu: number; events: number; bytes: number } {
  const { stderr } = sh(quote([process.execPath, '--import', 'tsx', BASELINE, format, String(sessions), SEED]), pipe);
  return JSON.parse(stderr.trim().split('\n').at(-1)!) as { seconds: number; cpu: number; events: number; bytes: number };
}

/** MB/s the pipe (`| cat`) takes at most: prebuilt text written with nothing made (median of 3). */
function pipeCeiling(): number {
  const rates = [0, 1, 2].map(() => {
    const { stderr } = sh(quote([process.execPath, '--import', 'tsx', CEILING, '1024']), true);
    const r = JSON.parse(stderr.trim().split('\n').at(-1)!) as { seconds: number; bytes: number };
    return r.bytes / 2 ** 20 / r.seconds;
  });
  return rates.sort((a, b) => a - b)[1]!;
}

export default async function exportBench(): Promise<void> {
  if (!existsSync(TIME) || !existsSync(CLI)) {
    console.log('export bench: needs /usr/bin/time and dist/cli.js (npm run bench builds it)');
    return;
  }
  const cores = availableParallelism();
  console.log(`export event_stream --count ${SIZES.join(' and ')}, end to end (start-up included), to /dev/null and | cat;`);
  console.log(`baseline: prebuilt events written naively through the same file or pipe (JSON.stringify for ndjson/json)`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cores} cores (other jobs take cores: compare within a row;`);
  console.log(`CPU seconds move less with the load than wall seconds; the CLI's include its start-up, the baseline's only the timed writing)`);
  console.log(`medians of ${ROUNDS} paired rounds (MOCKJUTSU_BENCH_ROUNDS; sizes ${SIZES.join(', ')}: MOCKJUTSU_BENCH_SESSIONS; formats ${FORMATS.join(', ')}: MOCKJUTSU_BENCH_FORMATS); peak RSS: the most of any round`);
  console.log(`sessions  format  out    baseline ev/s   workers=1 ev/s (x base)   workers=${cores} ev/s (x base, x w1)   CPU s base / w1 / w${cores} (w1 x base by CPU)   peak RSS w1 / w${cores}   w${cores} MB/s`);
  // Where more threads stop paying: the output's own ceiling, against what the export writes.
  const ceiling = pipeCeiling();
  console.log(`output ceiling: the pipe (| cat) takes ${ceiling.toFixed(0)} MB/s of prebuilt text (256 KB writes, nothing made, median of 3); /dev/null takes any rate`);
  const k = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const sessions of SIZES) for (const format of FORMATS) {
    for (const pipe of [false, true]) {
      // Paired rounds, each side in its own process, the order turned each round; medians of
      // the rates and of each round's ratios (one process runs up to 30% off the next here).
      const baseFormat = format === 'json' ? 'ndjson' : format;
      const rounds = Array.from({ length: ROUNDS }, (_, r) => {
        if (r % 2 === 0) return { base: baseline(sessions, baseFormat, pipe), one: cli(sessions, format, 1, pipe), many: cli(sessions, format, cores, pipe) };
        const many = cli(sessions, format, cores, pipe);
        const one = cli(sessions, format, 1, pipe);
        return { base: baseline(sessions, baseFormat, pipe), one, many };
      });
      const events = rounds[0]!.base.events;
      const b = median(rounds.map((x) => events / x.base.seconds));
      const one = median(rounds.map((x) => events / x.one.wall));
      const many = median(rounds.map((x) => events / x.many.wall));
      // The median over the rounds of a figure (a ratio or CPU seconds), two decimals.
      const med = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f)).toFixed(2);
      console.log(
        `${String(sessions).padStart(8)}  ${format.padEnd(6)}  ${(pipe ? 'pipe' : 'file').padEnd(5)} ${k(b)}     ${k(one)} (${med((x) => x.base.seconds / x.one.wall)}x)` +
        `     ${k(many)} (${med((x) => x.base.seconds / x.many.wall)}x, ${med((x) => x.one.wall / x.many.wall)}x)` +
        `     ${med((x) => x.base.cpu)} / ${med((x) => x.one.cpu)} / ${med((x) => x.many.cpu)} (${med((x) => x.base.cpu / x.one.cpu)}x)` +
        `     ${Math.max(...rounds.map((x) => x.one.rssMb)).toFixed(0)} / ${Math.max(...rounds.map((x) => x.many.rssMb)).toFixed(0)} MB` +
        // ndjson and json: the baseline writes the CLI's bytes; csv and sql: about as many
        `     ~${((rounds[0]!.base.bytes / 2 ** 20) * (many / events)).toFixed(0)} MB/s`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await exportBench();
