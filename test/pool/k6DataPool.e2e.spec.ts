// The k6 pools of the built bundle, run in the node:vm k6 harness (test/k6/k6Harness.ts).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createSessionStream } from '../../src/index.js';
import { segmentVuIds, startK6Harness, type K6HarnessProcess, type K6Job, type K6RunReport } from '../k6/k6Harness.js';
import { ensureK6Bundle } from '../k6/k6Bundle.js';

// Inline scripts "live" in test/pool/, so they import the bundle as ../../dist/k6/mockjutsu.js.
const SCRIPT = fileURLToPath(new URL('./inline-pool-script.js', import.meta.url));
const IMPORT = "import { dataPool, sessionStream, parseNdjsonRecords } from '../../dist/k6/mockjutsu.js';\nimport { SharedArray } from 'k6/data';\nimport exec from 'k6/execution';\n";

/** A script with a pool of `size` items { i } built from a SharedArray, and an iteration body. */
function poolScript(size: number, options: string, body: string): string {
  return IMPORT +
    `const items = new SharedArray('items', function () { const a = []; for (let i = 0; i < ${size}; i++) a.push({ i: i }); return a; });\n` +
    `const pool = dataPool(items, ${options});\n` +
    `export default function () { ${body} }\n`;
}

interface Outcome { vu: number; results: unknown[]; errors: Array<{ code?: string; message: string }> }

function outcomes(report: K6RunReport): Outcome[] {
  assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
  assert.deepEqual(report.optionsExecReadInInit, []);
  return report.vus.map((vu) => {
    assert.equal(vu.initError, undefined, JSON.stringify(vu.initError));
    assert.deepEqual(vu.execReadInInit, [], 'exec read in init');
    return {
      vu: vu.idInTest,
      results: vu.iterations.filter((it) => it.error === undefined).map((it) => (it.result === undefined ? undefined : JSON.parse(it.result))),
      errors: vu.iterations.filter((it) => it.error !== undefined).map((it) => it.error!),
    };
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

describe('k6 data pools in the k6 harness (built bundle)', function () {
  let harness: K6HarnessProcess;
  const run = (source: string, job: Partial<K6Job>): Promise<K6RunReport> => harness.run({ script: SCRIPT, source, env: { SEED: '42' }, vus: [1], iterations: 1, ...job });

  before(async () => {
    await ensureK6Bundle();
    harness = startK6Harness();
  });
  after(() => harness.close());

  it('non-recyclable by iteration: 32 VUs x 16 iterations draw 512 items, each exactly once', async () => {
    const report = await run(poolScript(512, "{ name: 'users' }", 'return pool.next().i;'), { vus: range(1, 33), iterations: 16 });
    const all = outcomes(report).flatMap((o) => { assert.deepEqual(o.errors, []); return o.results as number[]; });
    assert.equal(all.length, 512);
    assert.deepEqual([...all].sort((a, b) => a - b), range(0, 512));
  });

  it('exhaustion: past the last item next() throws POOL_EXHAUSTED naming the pool, tryNext() gives undefined; never a repeat', async () => {
    const report = await run(poolScript(25, "{ name: 'users' }", 'return pool.next().i;'), { vus: range(1, 7), iterations: 5 });
    const out = outcomes(report);
    const all = out.flatMap((o) => o.results as number[]);
    assert.deepEqual([...all].sort((a, b) => a - b), range(0, 25));
    const errors = out.flatMap((o) => o.errors);
    assert.equal(errors.length, 5);
    for (const e of errors) {
      assert.equal(e.code, 'POOL_EXHAUSTED');
      assert.equal(e.message, 'pool "users" is exhausted: all 25 items were handed out once and a non-recyclable pool never repeats one; record more items, draw fewer, or make the pool recyclable');
    }
    const early = await run(poolScript(4, "{ name: 'users' }", 'const u = pool.tryNext(); if (u === undefined) return { done: pool.exhaustedMessage }; return u.i;'), { vus: [1, 2], iterations: 3 });
    const results = outcomes(early).flatMap((o) => o.results);
    assert.deepEqual(results.filter((r) => typeof r === 'number').sort(), [0, 1, 2, 3]);
    assert.deepEqual(results.filter((r) => typeof r !== 'number'), [{ done: 'pool "users" is exhausted: all 4 items were handed out once and a non-recyclable pool never repeats one; record more items, draw fewer, or make the pool recyclable' }, { done: 'pool "users" is exhausted: all 4 items were handed out once and a non-recyclable pool never repeats one; record more items, draw fewer, or make the pool recyclable' }]);
  });

  it("onExhausted: 'abort' ends the test through exec.test.abort with the message", async () => {
    const report = await run(poolScript(2, "{ name: 'accounts', onExhausted: 'abort' }", 'return pool.next().i;'), { vus: [1], iterations: 3 });
    const [o] = outcomes(report);
    assert.deepEqual(o!.results, [0, 1]);
    assert.match(o!.errors[0]!.message, /^test aborted: pool "accounts" is exhausted: all 2 items/);
  });

  it('perIteration: each iteration owns its block of items; one draw too many is an error, not a collision', async () => {
    const report = await run(poolScript(300, "{ perIteration: 3 }", 'return [pool.next().i, pool.next().i, pool.next().i];'), { vus: range(1, 9), iterations: 10 });
    const all = outcomes(report).flatMap((o) => (o.results as number[][]).flat());
    assert.deepEqual([...all].sort((a, b) => a - b), range(0, 240));
    const over = await run(poolScript(300, "{ perIteration: 2 }", 'pool.next(); pool.next(); return pool.next().i;'), { vus: [1], iterations: 1 });
    assert.match(outcomes(over)[0]!.errors[0]!.message, /an iteration drew item 3 from the pool but perIteration is 2/);
  });

  for (const by of ['iteration', 'vu'] as const) {
    it(`two execution segments (0:1/2 and 1/2:1) by ${by}: no shared item, and together every item once`, async () => {
      const options = by === 'vu' ? "{ by: 'vu', vus: 10 }" : '{}';
      const script = poolScript(100, options, 'return pool.next().i;');
      // Each half runs 5 VUs x 10 iterations; k6 stripes VU ids and iteration numbers over the segments.
      const half = (start: number): Partial<K6Job> => ({ vus: segmentVuIds(start, [2], 5), iterations: 10, iterationIdsInTest: segmentVuIds(start, [2], 50).map((n) => n - 1) });
      const a = outcomes(await run(script, half(0))).flatMap((o) => { assert.deepEqual(o.errors, []); return o.results as number[]; });
      const b = outcomes(await run(script, half(1))).flatMap((o) => { assert.deepEqual(o.errors, []); return o.results as number[]; });
      assert.equal(a.length, 50);
      assert.equal(b.length, 50);
      assert.deepEqual(a.filter((i) => b.includes(i)), []);
      assert.deepEqual([...a, ...b].sort((x, y) => x - y), range(0, 100));
    });
  }

  it('by vu: VU v gets v-1, v-1+vus, ... whatever the order iterations run in; a VU id above vus is refused', async () => {
    const report = await run(poolScript(40, "{ by: 'vu', vus: 8 }", 'return pool.next().i;'), { vus: [3, 8, 1], iterations: 4 });
    const byVu = new Map(outcomes(report).map((o) => [o.vu, o.results]));
    assert.deepEqual(byVu.get(3), [2, 10, 18, 26]);
    assert.deepEqual(byVu.get(8), [7, 15, 23, 31]);
    assert.deepEqual(byVu.get(1), [0, 8, 16, 24]);
    const over = await run(poolScript(40, "{ by: 'vu', vus: 8 }", 'return pool.next().i;'), { vus: [9], iterations: 1 });
    assert.match(outcomes(over)[0]!.errors[0]!.message, /exec\.vu\.idInTest is 9 but the pool was told vus: 8/);
  });

  it('recyclable: item = iterationInTest modulo the size, round and round', async () => {
    const report = await run(poolScript(7, '{ recyclable: true }', 'return pool.next().i;'), { vus: [1, 2, 3], iterations: 10 });
    const all = outcomes(report).flatMap((o) => o.results as number[]);
    assert.deepEqual(all, range(0, 30).map((n) => n % 7));
  });

  it('bad pools fail in init with a clear message: empty, unknown option, by vu without vus', async () => {
    const cases: Array<[string, RegExp]> = [
      ["dataPool([], { name: 'users' });", /pool "users" is empty; a pool needs at least one item/],
      ['dataPool([1], { size: 3 });', /unknown option "size" of dataPool; allowed: name, recyclable, by, perIteration, vus, onExhausted/],
      ["dataPool([1], { by: 'vu' });", /by: "vu" needs vus, the VU count of the whole test/],
      ["dataPool([1], { by: 'segment' });", /by is "segment"; allowed: "iteration" or "vu"/],
    ];
    for (const [code, message] of cases) {
      const report = await run(IMPORT + code + '\nexport default function () {}\n', { vus: [1] });
      assert.match(report.optionsError?.message ?? '', message, code);
    }
  });

  it('sessions of pooled users: sessionStream({ users: SharedArray }) equals the library with the same records; NDJSON via open()', async () => {
    const script = IMPORT +
      "const users = new SharedArray('users', function () { return parseNdjsonRecords(open('./fixtures/users.ndjson'), 'users.ndjson'); });\n" +
      'const stream = sessionStream({ seed: __ENV.SEED, users: users });\n' +
      'export default function () { return stream.nextSession(); }\n';
    const report = await run(script, { vus: [4], iterations: 12 });
    const sessions = outcomes(report)[0]!.results;
    const records = [1, 2, 3].map((n) => ({ user_id: `nd-${n}`, email: `nd${n}@shop.test` }));
    const lib = createSessionStream({ seed: 42, users: records, partition: 4 });
    for (const s of sessions) assert.equal(JSON.stringify(s), JSON.stringify(lib.nextSession()));
    assert.deepEqual([...new Set((sessions as Array<Array<{ user_id: string }>>).map((s) => s[0]!.user_id))].sort(), ['nd-1', 'nd-2', 'nd-3']);
  });
});
