// The built bundle in goja itself (sobek, the goja fork k6 runs), through the Go runner in
// test/k6/goja/: the same stand-ins and the same assertions as the node:vm harness, for both
// shipped files: mockjutsu.js imported as an ES module (k6 >= 0.53) and mockjutsu.cjs.js loaded
// with `require` (any k6; the cheap way for k6 before 0.53).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSessionStream, jutsu, serializeEvent, serializeSession, type Session, type SessionEvent } from '../../src/index.js';
import { assertSessionContract } from '../core/contractInvariants.js';
import { segmentVuIds, type K6RunReport } from './k6Harness.js';
import { assertNoExecInInit, rawResults, results } from './k6Results.js';
import { ensureK6Bundle } from './k6Bundle.js';
import { startGojaRunnerFor, type GojaJob, type GojaRunnerProcess, type GojaRunReport } from './gojaRunner.js';

const SCRIPT = fileURLToPath(new URL('./inline-script.js', import.meta.url));
const NAMES = 'sessionStream, generate, bulk, types, serializeEvent, serializeSession, MockjutsuError';
const LOADERS = {
  esm: `import { ${NAMES} } from '../../dist/k6/mockjutsu.js';\n`,
  cjs: `const { ${NAMES} } = require('../../dist/k6/mockjutsu.cjs.js');\n`,
};

describe('k6 bundle in goja (sobek, the engine k6 runs)', function () {
  this.timeout(300_000); // the first `go build` of the runner compiles sobek
  let runner: GojaRunnerProcess;

  before(async function () {
    await ensureK6Bundle();
    runner = startGojaRunnerFor(this);
  });
  after(() => runner?.close());

  for (const format of ['esm', 'cjs'] as const) {
    describe(format === 'esm' ? "mockjutsu.js through import (k6 >= 0.53)" : "mockjutsu.cjs.js through require (k6 < 0.53)", () => {
      const run = (source: string, job: Partial<GojaJob> = {}): Promise<GojaRunReport> =>
        runner.run({ script: SCRIPT, source: LOADERS[format] + source, env: { SEED: '42' }, vus: [1], iterations: 1, ...job });

      it('same seed and VU id => byte-identical events to createSessionStream({ seed, partition: vuId }), run after run', async () => {
        const script = 'const stream = sessionStream({ seed: __ENV.SEED });\nexport default function () { const e = stream.next(); return [JSON.stringify(e), serializeEvent(e)]; }';
        const vus = [1, 2, 7];
        const first = await run(script, { vus, iterations: 60 });
        const second = await run(script, { vus, iterations: 60 });
        assert.equal(first.engine, 'sobek');
        assertNoExecInInit(first);
        vus.forEach((vuId, i) => {
          const expected = createSessionStream({ seed: 42, partition: vuId }).take(60).map((e) => JSON.stringify(e));
          const actual = results<[string, string]>(first, i);
          assert.deepEqual(actual.map(([json]) => json), expected, `VU ${vuId}: JSON.stringify in goja`);
          assert.deepEqual(actual.map(([, text]) => text), expected, `VU ${vuId}: serializeEvent in goja`);
          assert.deepEqual(rawResults(second, i), rawResults(first, i), `VU ${vuId}: second run`);
        });
      });

      it('different VU ids => disjoint event, session and correlation ids; sessions equal the library and keep the contract', async () => {
        const vus = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        const report = await run('const stream = sessionStream({ seed: __ENV.SEED });\nexport default function () { return stream.nextSession(); }', { vus, iterations: 8 });
        assertNoExecInInit(report);
        const owner = new Map<string, number>();
        const sessionIds = new Set<string>();
        for (let i = 0; i < vus.length; i++) {
          const lib = createSessionStream({ seed: 42, partition: vus[i]! });
          const seen = new Set<string>();
          for (const session of results<Session>(report, i)) {
            assert.equal(JSON.stringify(session), JSON.stringify(lib.nextSession()));
            assertSessionContract(session, seen);
            sessionIds.add(session[0]!.session_id);
            for (const e of session) {
              for (const id of [e.event_id, e.session_id, e.correlation_id]) {
                const prev = owner.get(id);
                assert.ok(prev === undefined || prev === vus[i], `id ${id} shared by VUs ${prev} and ${vus[i]}`);
                owner.set(id, vus[i]!);
              }
            }
          }
        }
        assert.equal(sessionIds.size, 80);
      });

      it('two execution segments (0:1/2 and 1/2:1 of 10 VUs) => disjoint sessions whose union is the unsegmented run', async () => {
        const script = 'const stream = sessionStream({ seed: __ENV.SEED });\nexport default function () { return stream.nextSession(); }';
        const segA = segmentVuIds(0, [2], 5);
        const segB = segmentVuIds(1, [2], 5);
        const whole = await run(script, { vus: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], iterations: 4 });
        const a = await run(script, { vus: segA, iterations: 4 });
        const b = await run(script, { vus: segB, iterations: 4 });
        const texts = (r: K6RunReport) => r.vus.flatMap((_, i) => rawResults(r, i));
        const sa = new Set(texts(a));
        const sb = new Set(texts(b));
        assert.equal(sa.size, 20);
        assert.equal(sb.size, 20);
        for (const s of sa) assert.ok(!sb.has(s), 'a session is sent by both instances');
        const idsA = new Set([...sa].map((s) => (JSON.parse(s) as Session)[0]!.session_id));
        for (const s of sb) assert.ok(!idsA.has((JSON.parse(s) as Session)[0]!.session_id), 'a session id appears on both instances');
        assert.deepEqual([...sa, ...sb].sort(), texts(whole).sort());
        for (const r of [whole, a, b]) assertNoExecInInit(r);
      });

      it('an explicit partition equals the library; users, start (parsed by goja\'s Date), spread, catalog, currency and site too', async () => {
        const report = await run("const stream = sessionStream({ seed: 'alpha', users: 10, partition: 'vu-3' });\nexport default function () { return serializeEvent(stream.next()); }", { vus: [1, 2], iterations: 40 });
        assert.deepEqual(results<string>(report, 0), createSessionStream({ seed: 'alpha', users: 10, partition: 'vu-3' }).take(40).map((e) => JSON.stringify(e)));
        assert.deepEqual(results(report, 1), results(report, 0));

        const options = { users: 3, start: '2026-03-02T00:00:00Z', spreadMs: 7 * 86_400_000, catalogSize: 20, currency: 'EUR', siteUrl: 'http://shop.test' };
        const custom = await run(`const stream = sessionStream(Object.assign({ seed: 7 }, ${JSON.stringify(options)}));\nexport default function () { return serializeSession(stream.nextSession()); }`, { vus: [5], iterations: 6 });
        const lib = createSessionStream({ seed: 7, partition: 5, ...options });
        for (const text of results<string>(custom)) assert.equal(text, serializeSession(lib.nextSession()));
      });

      it('generate, bulk and types equal the library; bad options throw the exported MockjutsuError in init', async () => {
        const report = await run(`export default function () {
  return { session: generate('event_stream', { seed: 42, partition: 5, session: 3 }), users: bulk('user', { seed: 9, count: 4 }), types: types() };
}`);
        assert.deepEqual(results(report), [{
          session: jutsu.generate('event_stream', { seed: 42, partition: 5, session: 3 }),
          users: jutsu.bulk('user', { seed: 9, count: 4 }),
          types: jutsu.types(),
        }]);
        const bad = await run("const x = sessionStream({ seed: 1, users: 0 });\nexport default function () {}");
        assert.equal(bad.optionsError?.name, 'MockjutsuError');
        assert.equal(bad.optionsError!.code, 'INVALID_OPTION');
        assert.match(bad.optionsError!.message, /users is 0; allowed: an integer from 1 to 10000000/);
        assert.deepEqual(bad.vus, []);
        const caught = await run('let caught;\ntry { sessionStream({ seed: 1, users: -1 }); } catch (e) { caught = [e instanceof MockjutsuError, e instanceof Error, e.code, e.path]; }\nexport default function () { return caught; }');
        assert.deepEqual(results(caught), [[true, true, 'INVALID_OPTION', 'users']]);
      });

      it('pulling in the init context throws a clear MockjutsuError (exec.vu is never read there otherwise)', async () => {
        const report = await run('const stream = sessionStream({ seed: __ENV.SEED });\nconst e = stream.next();\nexport default function () {}');
        assert.equal(report.optionsError?.name, 'MockjutsuError');
        assert.match(report.optionsError!.message, /exec\.vu\.idInTest, which k6 only knows once the VU runs.*getting VU information in the init context is not supported/);
        const lazy = await run('const stream = sessionStream({ seed: __ENV.SEED, users: 5 });\nexport default function () { return [stream.partition, stream.next().stream_version]; }', { vus: [4, 9], iterations: 2 });
        assertNoExecInInit(lazy);
        assert.deepEqual(results(lazy, 0), [['4', 1], ['4', 2]]);
        assert.deepEqual(results(lazy, 1), [['9', 1], ['9', 2]]);
      });
    });
  }

  it('a CommonJS script (module.exports) can require mockjutsu.cjs.js too', async () => {
    const report = await runner.run({
      script: SCRIPT, format: 'cjs', env: { SEED: '42' }, vus: [3], iterations: 5,
      source: "const { sessionStream } = require('../../dist/k6/mockjutsu.cjs.js');\nconst stream = sessionStream({ seed: __ENV.SEED });\nmodule.exports.default = function () { return stream.next(); };",
    });
    const lib = createSessionStream({ seed: 42, partition: 3 });
    assert.deepEqual(results<SessionEvent>(report).map((e) => JSON.stringify(e)), lib.take(5).map((e) => JSON.stringify(e)));
  });

  it('the stand-ins are as strict as in the node:vm harness: exec.vu in init throws; http posts reach the stand-in store', async () => {
    const control = await runner.run({ script: SCRIPT, source: "import exec from 'k6/execution';\nconst id = exec.vu.idInTest;\nexport default function () {}", vus: [1], iterations: 1 });
    assert.match(control.optionsError!.message, /getting VU information in the init context is not supported/);
    assert.deepEqual(control.optionsExecReadInInit, ['vu']);
    const missing = await runner.run({ script: SCRIPT, source: "import fs from 'fs';\nexport default function () {}", vus: [1], iterations: 1 });
    assert.match(missing.optionsError!.message, /module "fs" is not available in k6/);
  });

  it('every example runs in goja through import and, switched to require as its comment says, gives the same requests', async () => {
    const dir = new URL('../../k6-scripts/', import.meta.url);
    for (const name of ['01-per-vu-event-streams.js', '02-session-batches.js', '03-ramping-vus-sessions.js']) {
      const script = fileURLToPath(new URL(name, dir));
      const text = readFileSync(script, 'utf8');
      const requireLine = /^\/\/ (const \{[^}]+\} = require\('\.\.\/dist\/k6\/mockjutsu\.cjs\.js'\);)$/m.exec(text);
      assert.ok(requireLine, `${name}: no require line in a comment`);
      const importLine = /^import \{[^}]+\} from '\.\.\/dist\/k6\/mockjutsu\.js';$/m.exec(text)![0];
      const job = { script, env: { SEED: '42', TARGET_URL: 'http://127.0.0.1:8099', USERS: '50' }, vus: [1, 2], iterations: 4, scenario: 'shoppers' };
      const viaImport = await runner.run(job);
      const viaRequire = await runner.run({ ...job, source: text.replace(importLine, requireLine[1]!) });
      for (const report of [viaImport, viaRequire]) {
        assert.equal(report.optionsError, undefined, `${name}: ${JSON.stringify(report.optionsError)}`);
        for (const vu of report.vus) {
          assert.equal(vu.initError, undefined, `${name}: ${JSON.stringify(vu.initError)}`);
          for (const it of vu.iterations) assert.equal(it.error, undefined, `${name}: ${JSON.stringify(it.error)}`);
          assert.ok(vu.requests.length >= 4, `${name}: ${vu.requests.length} requests`);
          assert.ok(vu.checks.length > 0 && vu.checks.every((c) => c.ok), `${name}: a check failed`);
        }
      }
      assert.deepEqual(viaRequire.vus.map((v) => v.requests), viaImport.vus.map((v) => v.requests), name);
    }
  });

  it('example 01 runs in goja: each VU posts its own events with If-Match = stream_version - 1, all checks pass', async () => {
    const vus = [1, 2];
    const report = await runner.run({ script: fileURLToPath(new URL('../../k6-scripts/01-per-vu-event-streams.js', import.meta.url)), env: { SEED: '42', TARGET_URL: 'http://127.0.0.1:8099' }, vus, iterations: 30 });
    assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
    assert.equal(JSON.parse(report.options!).vus, 10);
    report.vus.forEach((vu, i) => {
      assert.equal(vu.initError, undefined);
      for (const it of vu.iterations) assert.equal(it.error, undefined, JSON.stringify(it.error));
      const expected = createSessionStream({ seed: 42, partition: vus[i]! }).take(30);
      assert.deepEqual(vu.requests.map((r) => [r.url, r.body, r.headers['If-Match'], r.status]),
        expected.map((e) => [`http://127.0.0.1:8099/streams/${e.stream_id}`, serializeEvent(e), String(e.stream_version - 1), 201]));
      assert.equal(vu.checks.length, 60);
      assert.ok(vu.checks.every((c) => c.ok));
    });
  });
});
