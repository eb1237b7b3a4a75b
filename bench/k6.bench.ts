// Per-VU cost of the k6 bundle, measured in the k6 harness (test/k6/k6Harness.ts): each VU is
// a fresh node:vm context, as each k6 VU is its own goja VM. For N contexts of each script:
// heap added per context after a full GC (minus an empty script's), init time per context, and
// events/s inside one context. V8 is not goja: these figures rank and bound the cost, they do
// not replace a run of real k6 (goal there: at most +1 MB per VU at 100 VUs).
//
// Runs itself in a child process started with --expose-gc --experimental-vm-modules.
//
// Then the same in goja itself (sobek, the engine k6 runs) through the Go runner in
// test/k6/goja/, for both shipped files: heap per VU from Go's memstats around creating N
// runtimes that evaluate the script, and the CPU cost of stream.next() next to JSON.stringify
// of the same events inside one VU (the goal: at most 1.5x).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const self = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--k6-bench-child';
const VUS = 100;

interface Row {
  script: string;
  vus: number;
  iterations: number;
  initMsPerVu: number;
  heapKbPerVu: number;
  overEmptyKbPerVu: number;
  heapKbPerVuAfterIterations?: number;
  overEmptyKbPerVuAfterIterations?: number;
}

interface Result {
  rows: Row[];
  eventsPerSecond: { harnessNext: number; harnessNextSerialized: number; nodeNext: number; nodeNextSerialized: number };
  bundleBytes: number;
}

export default async function main(): Promise<void> {
  const { buildK6Bundle } = (await import('../scripts/buildK6Bundle.mjs')) as { buildK6Bundle: (o: { quiet: boolean }) => Promise<{ bytes: number }> };
  const { bytes } = await buildK6Bundle({ quiet: true });
  const result = await new Promise<Result>((resolve, reject) => {
    const child = fork(self, [CHILD_FLAG, String(bytes)], {
      execArgv: ['--import', 'tsx', '--expose-gc', '--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as Result));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`k6 bench child exited with ${code}`))));
  });
  printTable(result);
  await gojaSection();
}

async function gojaSection(): Promise<void> {
  const { ensureGojaRunner, startGojaRunner } = await import('../test/k6/gojaRunner.js');
  let built;
  try {
    built = ensureGojaRunner();
  } catch (e) {
    console.log(`goja: runner not built: ${(e as Error).message}`);
    return;
  }
  if (built.skip !== undefined) {
    console.log(`goja: ${built.skip}`);
    return;
  }
  const runner = startGojaRunner(built.binary);
  try {
    for (const [format, file] of [['esm', 'mockjutsu.js'], ['cjs', 'mockjutsu.cjs.js']] as const) {
      const bundle = fileURLToPath(new URL(`../dist/k6/${file}`, import.meta.url));
      const r = await runner.bench({ bundle, format, vus: VUS, iterations: 50, events: 20_000, rounds: 3 });
      const empty = r.rows[0]!;
      console.log(`\ngoja (${r.engine}), dist/k6/${file} through ${format === 'esm' ? 'import' : 'require'}: heap per VU runtime after a full GC (Go memstats, KB)`);
      const header = ['script', 'VUs', 'init ms/VU', 'heap KB/VU', 'vs empty', 'iterations', 'then KB/VU', 'vs empty'];
      const rows = r.rows.map((x) => [x.script, String(x.vus), x.initMsPerVu.toFixed(2), x.heapKbPerVu.toFixed(0), (x.heapKbPerVu - empty.heapKbPerVu).toFixed(0),
        String(x.iterations), x.heapKbPerVuAfterIterations.toFixed(0), (x.heapKbPerVuAfterIterations - empty.heapKbPerVuAfterIterations).toFixed(0)]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
      const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
      console.log(line(header));
      for (const row of rows) console.log(line(row));
      const sp = r.speed;
      const us = (ns: number) => (ns / 1000).toFixed(1);
      console.log(`CPU per event in one VU (best of 3 rounds of ${sp.events} events, mean event ${sp.meanEventBytes.toFixed(0)} bytes): ` +
        `next() ${us(sp.nextNs)} us, JSON.stringify(event) ${us(sp.stringifyNs)} us, serializeEvent(event) ${us(sp.serializeNs)} us, next()+serializeEvent ${us(sp.nextSerializeNs)} us`);
      console.log(`  next() / JSON.stringify of the same events: ${sp.nextOverStringify.toFixed(2)}x (goal <= 1.5x); serializeEvent / JSON.stringify: ${(sp.serializeNs / sp.stringifyNs).toFixed(2)}x;` +
        ` events/s per VU: next() ${Math.round(1e9 / sp.nextNs)}, JSON.stringify ${Math.round(1e9 / sp.stringifyNs)}`);
    }
    await domainWays(runner);
  } finally {
    await runner.close();
  }
}

/**
 * A custom domain in k6, both ways, in goja (k6-scripts/04 and 05): (a) compiled ahead into a
 * module imported beside the runtime bundle, (b) its JSON read with open() and compiled in init
 * by the bundle with the compiler. Baseline: the built-in shop in the runtime bundle. Same
 * domain (k6-scripts/domains/ledger.json), same seed and partition in (a) and (b).
 */
async function domainWays(runner: import('../test/k6/gojaRunner.js').GojaRunnerProcess): Promise<void> {
  const dir = fileURLToPath(new URL('../k6-scripts/', import.meta.url));
  const stream = (domain: string) => `function makeStream(partition) { return sessionStream(partition === undefined ? { seed: '42'${domain} } : { seed: '42'${domain}, partition: partition }); }\n`;
  const cases = [
    { name: 'empty script', dir, source: 'function makeStream() { return { next() { return {}; } }; }\n' },
    { name: 'shop, built into mockjutsu.js', dir, source: "import { sessionStream } from '../dist/k6/mockjutsu.js';\n" + stream('') },
    { name: '(a) ledger.k6.js + mockjutsu.js', dir, source: "import ledger from './domains/ledger.k6.js';\nimport { sessionStream } from '../dist/k6/mockjutsu.js';\n" + stream(', domain: ledger') },
    { name: '(b) ledger.json, mockjutsu-domains.js', dir, source: "import { sessionStream } from '../dist/k6/mockjutsu-domains.js';\nconst ledger = JSON.parse(open('./domains/ledger.json'));\n" + stream(', domain: ledger') },
  ];
  const r = await runner.bench({ bundle: fileURLToPath(new URL('../dist/k6/mockjutsu.js', import.meta.url)), format: 'esm', vus: VUS, iterations: 50, events: 20_000, rounds: 3, cases });
  const rows = r.cases!;
  const empty = rows[0]!;
  console.log(`\ngoja (${r.engine}): a custom domain both ways (k6-scripts/04 vs 05), ${VUS} VUs; heap per VU after a full GC (Go memstats), stream made in init`);
  const header = ['script', 'init ms/VU', 'heap KB/VU', 'vs empty', 'then KB/VU', 'vs empty', 'next() us', 'stringify us', 'next/stringify', 'events/s'];
  const cells = rows.slice(1).map((c) => [c.name, c.heap.initMsPerVu.toFixed(2), c.heap.heapKbPerVu.toFixed(0), (c.heap.heapKbPerVu - empty.heap.heapKbPerVu).toFixed(0),
    c.heap.heapKbPerVuAfterIterations.toFixed(0), (c.heap.heapKbPerVuAfterIterations - empty.heap.heapKbPerVuAfterIterations).toFixed(0),
    (c.speed.nextNs / 1000).toFixed(1), (c.speed.stringifyNs / 1000).toFixed(1), c.speed.nextOverStringify.toFixed(2) + 'x', String(Math.round(1e9 / c.speed.nextNs))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (xs: string[]) => xs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of cells) console.log(line(row));
  const [a, b] = [rows[2]!, rows[3]!];
  const over = (x: number, y: number) => (x / y).toFixed(2) + 'x';
  console.log(`  (b) / (a): init per VU ${over(b.heap.initMsPerVu, a.heap.initMsPerVu)}, heap per VU over empty ${over(b.heap.heapKbPerVu - empty.heap.heapKbPerVu, a.heap.heapKbPerVu - empty.heap.heapKbPerVu)},` +
    ` events/s ${over(a.speed.nextNs, b.speed.nextNs)} (goal: <= 1 MB per VU)`);
}

function printTable(r: Result): void {
  const kb = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(0));
  console.log(`k6 bundle: ${(r.bundleBytes / 1024).toFixed(1)} KB minified; heap per VU context after a full GC (node:vm harness, V8, KB)`);
  const header = ['script', 'VUs', 'init ms/VU', 'heap KB/VU', 'vs empty', 'iterations', 'then KB/VU', 'vs empty'];
  const rows = r.rows.map((x) => [x.script, String(x.vus), x.initMsPerVu.toFixed(2), kb(x.heapKbPerVu), kb(x.overEmptyKbPerVu), String(x.iterations), kb(x.heapKbPerVuAfterIterations), kb(x.overEmptyKbPerVuAfterIterations)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const e = r.eventsPerSecond;
  const f = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  console.log(`events/s in one VU context: next() ${f(e.harnessNext)}, next()+serializeEvent ${f(e.harnessNextSerialized)}` +
    ` | Node library: ${f(e.nodeNext)}, ${f(e.nodeNextSerialized)}`);
}

async function child(bundleBytes: number): Promise<Result> {
  const { K6Vu, EventStoreStandIn } = await import('../test/k6/k6Harness.js');
  const { createSessionStream, serializeEvent } = await import('../src/index.js');
  const gc = (globalThis as { gc?: () => void }).gc!;
  const script = fileURLToPath(new URL('../test/k6/bench-script.js', import.meta.url));
  const bundle = "import { sessionStream, serializeEvent } from '../../dist/k6/mockjutsu.js';\n";
  // [name, source, VU contexts, iterations per VU]. The last rows run long enough for the
  // per-VU user-profile cache to fill (sessions draw from 1,000 users by default).
  const next = bundle + "const stream = sessionStream({ seed: '42' });\nexport default function () { serializeEvent(stream.next()); }";
  const sessions = (users: number) => bundle + `const stream = sessionStream({ seed: '42', users: ${users} });\nexport default function () { stream.nextSession(); }`;
  const scripts: Array<[string, string, number, number]> = [
    ['empty script', 'export default function () {}', VUS, 50],
    ['import only', bundle + 'export default function () {}', VUS, 50],
    ['sessionStream, next()', next, VUS, 50],
    ['sessionStream, nextSession()', sessions(1000), VUS, 50],
    ['nextSession(), users: 10', sessions(10), 10, 2000],
    ['nextSession(), users: 1000', sessions(1000), 10, 2000],
  ];
  const heapAfterGc = () => {
    for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const rows: Row[] = [];
  for (const [name, source, count, iterations] of scripts) {
    const store = new EventStoreStandIn();
    // One warm-up context so that shared, one-time costs (compiling the harness, tsx) are not counted.
    const warm = new K6Vu(script, source, {}, 0, 0, 'bench', store);
    await warm.init();
    const base = heapAfterGc();
    const vus: InstanceType<typeof K6Vu>[] = [];
    const t0 = performance.now();
    for (let i = 1; i <= count; i++) {
      const vu = new K6Vu(script, source, {}, i, i, 'bench', store);
      await vu.init();
      vus.push(vu);
    }
    const initMsPerVu = (performance.now() - t0) / count;
    const afterInit = heapAfterGc();
    for (const vu of vus) for (let i = 0; i < iterations; i++) vu.iterate();
    const afterIterations = heapAfterGc();
    rows.push({ script: name, vus: count, iterations, initMsPerVu, heapKbPerVu: (afterInit - base) / count / 1024, overEmptyKbPerVu: 0, heapKbPerVuAfterIterations: (afterIterations - base) / count / 1024 });
    vus.length = 0;
  }
  const empty = rows[0]!;
  for (const row of rows) {
    row.overEmptyKbPerVu = row.heapKbPerVu - empty.heapKbPerVu;
    // The empty script's heap does not grow with iterations: compare with it after 50.
    row.overEmptyKbPerVuAfterIterations = row.heapKbPerVuAfterIterations! - empty.heapKbPerVuAfterIterations!;
  }

  // Throughput inside one VU context, against the Node library in this process.
  const N = 100_000;
  const vu = new K6Vu(script, bundle + `const stream = sessionStream({ seed: '42' });
export function pull(n) { for (let i = 0; i < n; i++) stream.next(); }
export function pullSerialized(n) { let chars = 0; for (let i = 0; i < n; i++) chars += serializeEvent(stream.next()).length; return chars; }
export default function () {}`, {}, 1, 1, 'bench', new EventStoreStandIn());
  await vu.init();
  vu.iterate(); // leave the init phase
  const time = (fn: () => unknown) => {
    fn(); // warm up
    const t = performance.now();
    fn();
    return N / ((performance.now() - t) / 1000);
  };
  const ns = vu.namespace as { pull: (n: number) => void; pullSerialized: (n: number) => number };
  const lib = createSessionStream({ seed: '42', partition: 1 });
  const eventsPerSecond = {
    harnessNext: time(() => ns.pull(N)),
    harnessNextSerialized: time(() => ns.pullSerialized(N)),
    nodeNext: time(() => { for (let i = 0; i < N; i++) lib.next(); }),
    nodeNextSerialized: time(() => { let c = 0; for (let i = 0; i < N; i++) c += serializeEvent(lib.next()).length; return c; }),
  };
  return { rows, eventsPerSecond, bundleBytes };
}

if (process.argv.includes(CHILD_FLAG) && process.argv[1] === self) {
  const bytes = Number(process.argv[process.argv.indexOf(CHILD_FLAG) + 1]);
  child(bytes).then(
    (r) => process.send!(r, () => process.exit(0)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
