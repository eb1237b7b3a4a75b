// Core benchmarks: PRNG choice (speed and quality) and NDJSON output speed against the
// JSON.stringify baseline, measured in the same run (figures for the README's table).
import { openSync, writeSync, closeSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { eventStream, ndjsonChunks, jutsu, serializeEvent } from '../src/index.js';
import { inSingleThreadedProcess } from './support/cpuTime.js';

// CPU time of this process (user + system), best of `runs`: steadier than wall time when
// other work shares the machine's two cores.
function best<T>(runs: number, fn: () => T): { seconds: number; result: T } {
  let bestS = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    result = fn();
    const d = process.cpuUsage(t0);
    const s = (d.user + d.system) / 1e6;
    if (s < bestS) bestS = s;
  }
  return { seconds: bestS, result };
}

function prngTable(): void {
  const algorithms: Record<string, (seed: string) => () => number> = {
    alea: (s) => seedrandom.alea(s),
    xor128: (s) => seedrandom.xor128(s),
    xorwow: (s) => seedrandom.xorwow(s),
    xorshift7: (s) => seedrandom.xorshift7(s),
    xor4096: (s) => seedrandom.xor4096(s),
    tychei: (s) => seedrandom.tychei(s),
    'arc4 (default)': (s) => seedrandom(s),
  };
  const N = 5_000_000;
  console.log('PRNG (seedrandom)   M calls/s   chi2(256 bins, df 255)   lag-1 corr');
  for (const [name, make] of Object.entries(algorithms)) {
    const r = make('bench');
    let sink = 0;
    const { seconds } = best(3, () => {
      for (let i = 0; i < N; i++) sink += r();
      return sink;
    });
    // Quality: byte-level uniformity and serial correlation over 1M draws.
    const q = make('quality');
    const bins = new Array(256).fill(0);
    let prev = q();
    let sxy = 0, sx = 0, sxx = 0;
    const M = 1_000_000;
    for (let i = 0; i < M; i++) {
      const x = q();
      bins[Math.floor(x * 256)]++;
      sxy += prev * x; sx += x; sxx += x * x;
      prev = x;
    }
    const e = M / 256;
    const chi2 = bins.reduce((acc, o) => acc + ((o - e) * (o - e)) / e, 0);
    const mean = sx / M;
    const corr = (sxy / M - mean * mean) / (sxx / M - mean * mean);
    console.log(`${name.padEnd(18)} ${(N / seconds / 1e6).toFixed(1).padStart(9)}   ${chi2.toFixed(1).padStart(22)}   ${corr.toFixed(5).padStart(10)}`);
  }
  console.log('(chi2 for uniform data: 255 +/- 23; |corr| should be < ~0.003 at 1M draws)');
}

function ndjsonTable(): void {
  const EVENTS = 1_000_000;
  const fd = openSync('/dev/null', 'w');
  // Ours first: the baseline's 20,000 prebuilt sessions stay on the heap and would slow our
  // allocation-heavy run's garbage collection.
  let bytes = 0;
  const ours = best(3, () => {
    bytes = 0;
    for (const chunk of ndjsonChunks(eventStream({ seed: 'bench', events: EVENTS }))) {
      bytes += writeSync(fd, chunk);
    }
    return EVENTS;
  });
  const generateOnly = best(3, () => {
    let n = 0;
    for (const _ of eventStream({ seed: 'bench', events: EVENTS })) n++;
    return n;
  });
  // Baseline: JSON.stringify of already-built events of the same shape, written in the same chunks.
  const prebuilt = jutsu.bulk('event_stream', { seed: 'baseline', count: 20_000 }).flat();
  const baseline = best(3, () => {
    let n = 0;
    let chunk = '';
    while (n < EVENTS) {
      for (let i = 0; i < prebuilt.length && n < EVENTS; i++, n++) {
        chunk += JSON.stringify(prebuilt[i]) + '\n';
        if (chunk.length >= 65536) { writeSync(fd, chunk); chunk = ''; }
      }
    }
    writeSync(fd, chunk);
    return n;
  });
  closeSync(fd);
  // Serialization alone (no write): strings built, not flattened or encoded.
  const stringifyOnly = best(3, () => {
    let n = 0;
    let len = 0;
    while (n < EVENTS) for (let i = 0; i < prebuilt.length && n < EVENTS; i++, n++) len += JSON.stringify(prebuilt[i]).length;
    return len;
  });
  const serializeOnly = best(3, () => {
    let n = 0;
    let len = 0;
    while (n < EVENTS) for (let i = 0; i < prebuilt.length && n < EVENTS; i++, n++) len += serializeEvent(prebuilt[i]!).length;
    return len;
  });
  const b = EVENTS / baseline.seconds;
  const o = EVENTS / ours.seconds;
  console.log('NDJSON output, one core, 1M events to /dev/null     M events/s   ratio');
  console.log(`JSON.stringify of prebuilt events (baseline)        ${(b / 1e6).toFixed(2).padStart(10)}    1.00`);
  console.log(`mockjutsu: generate + serialize + write             ${(o / 1e6).toFixed(2).padStart(10)}    ${(o / b).toFixed(2)}`);
  console.log(`(mockjutsu events average ${(bytes / EVENTS).toFixed(0)} bytes)`);
  const so = EVENTS / stringifyOnly.seconds;
  console.log('Parts, no write                                     M events/s   ratio');
  console.log(`JSON.stringify of prebuilt events                   ${(so / 1e6).toFixed(2).padStart(10)}    1.00`);
  console.log(`serializeEvent of the same events                   ${(EVENTS / serializeOnly.seconds / 1e6).toFixed(2).padStart(10)}    ${(EVENTS / serializeOnly.seconds / so).toFixed(2)}`);
  console.log(`generating the event objects (eventStream)          ${(EVENTS / generateOnly.seconds / 1e6).toFixed(2).padStart(10)}    ${(EVENTS / generateOnly.seconds / so).toFixed(2)}`);
}

export default async function (): Promise<void> {
  // One core: V8's helper threads would otherwise lend a second one (see inSingleThreadedProcess).
  if (!(await inSingleThreadedProcess(import.meta.url))) return;
  prngTable();
  ndjsonTable();
}

if (process.argv.includes('--run')) {
  prngTable();
  ndjsonTable();
}
