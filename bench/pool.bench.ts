// Data pool and recorder benchmarks: draws per second from a pool in Node (one at a time,
// batched, through the registry the sidecar will call) next to generating events in the same
// run, the recorder's append and read speed per format, and draws inside the k6 harness (a
// node:vm context running the built bundle; V8, not goja: a ratio, not a k6 figure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionStream, DataPoolRegistry, IterableDataPool, RecyclableDataPool, createRecorder, readRecords, type RecordFormat } from '../src/index.js';
import { bestCpuSeconds } from './support/cpuTime.js';

const N = 1_000_000;
const items = Array.from({ length: N }, (_, i) => ({ user_id: 'u-' + i, email: `user${i}@shop.test` }));

function rate(count: number, seconds: number): number {
  return count / seconds;
}

function nodeRows(): Array<[string, number]> {
  let sink = 0;
  const rows: Array<[string, number]> = [];
  rows.push(['array index (baseline)', rate(N, bestCpuSeconds(3, () => { for (let i = 0; i < N; i++) sink += items[i]!.user_id.length; }))]);
  rows.push(['IterableDataPool.next()', rate(N, bestCpuSeconds(3, () => { const p = new IterableDataPool(items); for (let i = 0; i < N; i++) sink += p.next().user_id.length; }))]);
  rows.push(['RecyclableDataPool.next()', rate(N, bestCpuSeconds(3, () => { const p = new RecyclableDataPool(items); for (let i = 0; i < N; i++) sink += p.next().user_id.length; }))]);
  rows.push(['IterableDataPool.take(100)', rate(N, bestCpuSeconds(3, () => { const p = new IterableDataPool(items); for (let i = 0; i < N / 100; i++) for (const x of p.take(100).items) sink += x.user_id.length; }))]);
  rows.push(['registry.take(name, 1) (sidecar path)', rate(N, bestCpuSeconds(3, () => { const r = new DataPoolRegistry(); r.addItems('users', items); for (let i = 0; i < N; i++) sink += (r.take('users', 1).items[0] as { user_id: string }).user_id.length; }))]);
  const E = 200_000;
  rows.push(['createSessionStream().next() (an event)', rate(E, bestCpuSeconds(3, () => { const s = createSessionStream({ seed: 42 }); for (let i = 0; i < E; i++) sink += s.next().stream_version; }))]);
  if (sink === -1) console.log(sink);
  return rows;
}

function recorderRows(): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  const R = 50_000;
  for (const format of ['msgpack', 'ndjson'] as RecordFormat[]) {
    const dir = mkdtempSync(join(tmpdir(), 'mockjutsu-bench-rec-'));
    try {
      let file = '';
      let k = 0;
      const write = bestCpuSeconds(3, () => {
        const rec = createRecorder(join(dir, String(k++)), { format });
        for (let i = 0; i < R; i++) rec.record('users', items[i]);
        rec.close();
        file = rec.fileOf('users');
      });
      rows.push([`recorder.record() ${format} (one write each)`, rate(R, write)]);
      const read = bestCpuSeconds(3, () => readRecords(file));
      rows.push([`readRecords() ${format}`, rate(R, read)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function harnessRows(): Promise<Array<[string, number]>> {
  const { startK6Harness } = await import('../test/k6/k6Harness.js');
  const { ensureK6Bundle } = await import('../test/k6/k6Bundle.js');
  await ensureK6Bundle();
  const harness = startK6Harness();
  try {
    const D = 100_000;
    const DRAWS = 2_000_000;
    const script = fileURLToPath(new URL('./inline-pool-bench.js', import.meta.url));
    const source = "import { dataPool } from '../dist/k6/mockjutsu.js';\nimport { SharedArray } from 'k6/data';\n" +
      `const items = new SharedArray('items', function () { const a = []; for (let i = 0; i < ${D}; i++) a.push({ user_id: 'u-' + i }); return a; });\n` +
      "const pool = dataPool(items, { by: 'vu', vus: 1, recyclable: true });\n" +
      'export default function () {\n' +
      `  let sink = 0; let t = Date.now(); for (let i = 0; i < ${DRAWS}; i++) sink += items[i % ${D}].user_id.length; const plain = Date.now() - t;\n` +
      `  t = Date.now(); for (let i = 0; i < ${DRAWS}; i++) sink += pool.next().user_id.length; const drawn = Date.now() - t;\n` +
      '  return { plain: plain, drawn: drawn, sink: sink };\n}\n';
    const report = await harness.run({ script, source, vus: [1], iterations: 1 });
    const it = report.vus[0]?.iterations[0];
    if (it?.result === undefined) throw new Error('k6 harness bench failed: ' + JSON.stringify(report.optionsError ?? report.vus[0]?.initError ?? it?.error));
    const r = JSON.parse(it.result) as { plain: number; drawn: number };
    return [['k6 harness: SharedArray index (baseline)', DRAWS / (Math.max(r.plain, 1) / 1000)], ['k6 harness: dataPool.next()', DRAWS / (Math.max(r.drawn, 1) / 1000)]];
  } finally {
    await harness.close();
  }
}

export default async function main(): Promise<void> {
  const node = nodeRows();
  const event = node.find(([n]) => n.startsWith('createSessionStream'))![1];
  console.log('pool draws (Node)                          M/s    x an event');
  for (const [name, r] of node) console.log(`${name.padEnd(40)} ${(r / 1e6).toFixed(2).padStart(6)}   ${(r / event).toFixed(1).padStart(8)}`);
  console.log('\nrecorder (50,000 items { user_id, email })  k items/s');
  for (const [name, r] of recorderRows()) console.log(`${name.padEnd(40)} ${(r / 1e3).toFixed(0).padStart(9)}`);
  const k6 = await harnessRows();
  console.log('\nk6 harness (node:vm, wall time, 2M draws)  M/s');
  for (const [name, r] of k6) console.log(`${name.padEnd(40)} ${(r / 1e6).toFixed(2).padStart(6)}`);
  console.log(`dataPool.next() costs ${(k6[0]![1] / k6[1]![1]).toFixed(1)}x a SharedArray index in the harness (the stand-in SharedArray is a frozen array; in k6 each index decodes a JSON copy)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
