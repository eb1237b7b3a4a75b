import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createSessionStream, jutsu, serializeEvent,
  type Session, type SessionEvent,
} from '../../src/index.js';
import { assertSessionContract } from '../core/contractInvariants.js';
import { FORBIDDEN_GLOBALS, segmentVuIds, startK6Harness, type K6HarnessProcess, type K6Job, type K6RunReport } from './k6Harness.js';
import { assertNoExecInInit, rawResults, results } from './k6Results.js';
import { ensureK6Bundle } from './k6Bundle.js';
import { tinyModel } from '../fixtures/tinyModel.js';

// Inline scripts "live" in test/k6/, so they import the bundle as ../../dist/k6/mockjutsu.js.
const SCRIPT = fileURLToPath(new URL('./inline-script.js', import.meta.url));
const IMPORT = `import { sessionStream, generate, bulk, types, serializeEvent, serializeSession, MockjutsuError } from '../../dist/k6/mockjutsu.js';\n`;

const tiny = tinyModel;

/** Iteration results of a VU, parsed; fails on any init or iteration error. */
describe('k6 module in the k6 harness: per-VU session streams', function () {
  let harness: K6HarnessProcess;
  const run = (source: string, job: Partial<K6Job> = {}): Promise<K6RunReport> =>
    harness.run({ script: SCRIPT, source: IMPORT + source, env: { SEED: '42' }, vus: [1], iterations: 1, ...job });

  before(async () => {
    await ensureK6Bundle();
    harness = startK6Harness();
  });
  after(() => harness.close());

  it('same seed and VU id => byte-identical events to createSessionStream({ seed, partition: vuId }), run after run', async () => {
    const script = 'const stream = sessionStream({ seed: __ENV.SEED });\nexport default function () { const e = stream.next(); return [JSON.stringify(e), serializeEvent(e)]; }';
    const vus = [1, 2, 7];
    const first = await run(script, { vus, iterations: 60 });
    const second = await run(script, { vus, iterations: 60 });
    assertNoExecInInit(first);
    vus.forEach((vuId, i) => {
      const lib = createSessionStream({ seed: 42, partition: vuId });
      const expected = lib.take(60).map((e) => JSON.stringify(e));
      const actual = results<[string, string]>(first, i);
      assert.deepEqual(actual.map(([json]) => json), expected, `VU ${vuId}: JSON.stringify in the VM`);
      assert.deepEqual(actual.map(([, text]) => text), expected, `VU ${vuId}: serializeEvent in the VM`);
      assert.deepEqual(rawResults(second, i), rawResults(first, i), `VU ${vuId}: second run`);
    });
  });

  it('nextSession() gives the library sessions, each satisfying the event contract', async () => {
    const report = await run('const stream = sessionStream({ seed: __ENV.SEED });\nstream.next; // touching methods in init is fine\nexport default function () { return stream.nextSession(); }', { vus: [3], iterations: 25 });
    const lib = createSessionStream({ seed: '42', partition: 3 });
    const seen = new Set<string>();
    for (const session of results<Session>(report)) {
      assert.equal(JSON.stringify(session), JSON.stringify(lib.nextSession()));
      assertSessionContract(session, seen);
    }
  });

  it('different VU ids => disjoint event, session and correlation ids', async () => {
    const vus = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const report = await run('const stream = sessionStream({ seed: __ENV.SEED });\nexport default function () { return stream.nextSession(); }', { vus, iterations: 8 });
    const owner = new Map<string, number>();
    const sessionIds = new Set<string>();
    for (let i = 0; i < vus.length; i++) {
      for (const session of results<Session>(report, i)) {
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
    assert.deepEqual(segA, [1, 3, 5, 7, 9]);
    assert.deepEqual(segB, [2, 4, 6, 8, 10]);
    const [whole, a, b] = await Promise.all([
      run(script, { vus: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], iterations: 4 }),
      run(script, { vus: segA, iterations: 4 }), // __VU is 1..5 on both instances: only idInTest tells them apart
      run(script, { vus: segB, iterations: 4 }),
    ]);
    const texts = (r: K6RunReport) => r.vus.flatMap((_, i) => rawResults(r, i));
    const sa = new Set(texts(a));
    const sb = new Set(texts(b));
    const all = texts(whole);
    assert.equal(sa.size, 20);
    assert.equal(sb.size, 20);
    for (const s of sa) assert.ok(!sb.has(s), 'a session is sent by both instances');
    const idsA = new Set([...sa].map((s) => (JSON.parse(s) as Session)[0]!.session_id));
    for (const s of sb) assert.ok(!idsA.has((JSON.parse(s) as Session)[0]!.session_id), 'a session id appears on both instances');
    assert.deepEqual([...sa, ...sb].sort(), [...all].sort());
    for (const r of [whole, a, b]) assertNoExecInInit(r);
  });

  it('never reads exec.vu in the init context (the stand-in would throw), but does read it when pulling', async () => {
    const report = await run('const stream = sessionStream({ seed: __ENV.SEED, users: 5 });\nexport default function () { return [stream.partition, stream.next().stream_version]; }', { vus: [4, 9], iterations: 2 });
    assertNoExecInInit(report);
    assert.deepEqual(results(report, 0), [['4', 1], ['4', 2]]);
    assert.deepEqual(results(report, 1), [['9', 1], ['9', 2]]);
    // The stand-in is strict: a script reading exec.vu in init fails there, as in real k6.
    const control = await harness.run({
      script: SCRIPT, source: "import exec from 'k6/execution';\nconst id = exec.vu.idInTest;\nexport default function () {}", vus: [1], iterations: 1,
    });
    assert.match(control.optionsError!.message, /getting VU information in the init context is not supported/);
    assert.deepEqual(control.optionsExecReadInInit, ['vu']);
  });

  it('pulling an event in the init context throws a clear MockjutsuError', async () => {
    const report = await run('const stream = sessionStream({ seed: __ENV.SEED });\nconst e = stream.next();\nexport default function () {}');
    assert.equal(report.optionsError?.name, 'MockjutsuError');
    assert.match(report.optionsError!.message, /exec\.vu\.idInTest, which k6 only knows once the VU runs.*not in the init context.*\{ partition \}/);
    assert.match(report.optionsError!.message, /getting VU information in the init context is not supported/);
  });

  it('an explicit partition overrides the VU id (and equals the library)', async () => {
    const report = await run("const stream = sessionStream({ seed: 'alpha', users: 10, partition: 'vu-3' });\nexport default function () { return serializeEvent(stream.next()); }", { vus: [1, 2], iterations: 40 });
    const lib = createSessionStream({ seed: 'alpha', users: 10, partition: 'vu-3' }).take(40).map((e) => JSON.stringify(e));
    assert.deepEqual(results<string>(report, 0), lib);
    assert.deepEqual(results(report, 1), results(report, 0));
  });

  it('takes the seed from -e MOCKJUTSU_SEED when the call gives none', async () => {
    const report = await run('const stream = sessionStream();\nexport default function () { return [stream.seed, stream.next()]; }', { env: { MOCKJUTSU_SEED: '42' }, vus: [2], iterations: 3 });
    const lib = createSessionStream({ seed: 42, partition: 2 });
    for (const [seed, event] of results<[string, SessionEvent]>(report)) {
      assert.equal(seed, '42');
      assert.equal(JSON.stringify(event), JSON.stringify(lib.next()));
    }
  });

  it('honours the generator options: users, start time, activity spread, catalog, currency, site (the model option: stub error)', async () => {
    const refused = await run(`const x = sessionStream({ seed: 7, model: ${JSON.stringify(tiny)} });\nexport default function () {}`);
    assert.equal(refused.optionsError?.name, 'MockjutsuError');
    assert.match(refused.optionsError!.message, /the model option needs the domain compiler, which mockjutsu\.js does not carry.*import mockjutsu-domains\.js instead/);
    const options = { users: 3, start: '2026-03-02T00:00:00Z', spreadMs: 7 * 86_400_000, catalogSize: 20, currency: 'EUR', siteUrl: 'http://shop.test' };
    const report = await run(`const stream = sessionStream(Object.assign({ seed: 7 }, ${JSON.stringify(options)}));\nexport default function () { return stream.nextSession(); }`, { vus: [5], iterations: 6 });
    const lib = createSessionStream({ seed: 7, partition: 5, ...options });
    const seen = new Set<string>();
    for (const session of results<Session>(report)) {
      assert.equal(JSON.stringify(session), JSON.stringify(lib.nextSession()));
      assertSessionContract(session, seen, 'login', 'logout');
      assert.equal(session[0]!.aggregate_type, 'ShoppingSession');
    }
  });

  it('generate, bulk and types equal the library', async () => {
    const report = await run(`export default function () {
  return {
    session: generate('event_stream', { seed: 42, partition: 5, session: 3 }),
    user: generate('user', { seed: __ENV.SEED }),
    sessions: bulk('event_stream', { seed: 42, count: 3, users: 20 }),
    users: bulk('user', { seed: 9, count: 4 }),
    types: types(),
    batch: serializeSession(generate('event_stream', { seed: 1 })),
  };
}`);
    const [r] = results<Record<string, unknown>>(report);
    assert.deepEqual(r, {
      session: jutsu.generate('event_stream', { seed: 42, partition: 5, session: 3 }),
      user: jutsu.generate('user', { seed: '42' }),
      sessions: jutsu.bulk('event_stream', { seed: 42, count: 3, users: 20 }),
      users: jutsu.bulk('user', { seed: 9, count: 4 }),
      types: jutsu.types(),
      batch: JSON.stringify(jutsu.generate('event_stream', { seed: 1 })),
    });
  });

  describe('bad options throw in the init context, with the message naming the bad value', () => {
    const cases: Array<[string, string, string, RegExp, Record<string, string>?]> = [
      ['no seed at all', 'sessionStream({ seed: __ENV.SEED })', 'INVALID_SEED', /seed is missing; pass one, e\.g\. sessionStream\(\{ seed: __ENV\.SEED \}\) with `k6 run -e SEED=42/, {}],
      ['a fractional seed', 'sessionStream({ seed: 1.5 })', 'INVALID_SEED', /seed is 1\.5; allowed: a safe integer or a non-empty string/],
      ['an empty MOCKJUTSU_SEED', 'sessionStream()', 'INVALID_SEED', /__ENV\.MOCKJUTSU_SEED is ""; allowed/, { MOCKJUTSU_SEED: '' }],
      ['users out of range', 'sessionStream({ seed: 1, users: 0 })', 'INVALID_OPTION', /users is 0; allowed: an integer from 1 to 10000000/],
      ['an unparseable start', "sessionStream({ seed: 1, start: 'yesterday' })", 'INVALID_OPTION', /start is "yesterday"; allowed: "now", an ISO-8601 instant/],
      ['a model (needs the compiler bundle)', "sessionStream({ seed: 1, model: { start: 'a', terminal: 'b', states: { a: { transitions: { b: 1 } }, b: {} } } })", 'INVALID_OPTION', /the model option needs the domain compiler, which mockjutsu\.js does not carry/],
      ['a domain definition (needs compiling ahead)', "sessionStream({ seed: 1, domain: { domain: 'bank', aggregates: {}, chain: {} } })", 'INVALID_DOMAIN', /domain "bank" must be compiled ahead for k6: .*mockjutsu domain --compile bank\.json --target k6 --out bank\.k6\.js.*import bank from '\.\/bank\.k6\.js'/],
      ['an unknown built-in domain', "sessionStream({ seed: 1, domain: 'bnak' })", 'INVALID_OPTION', /domain is "bnak"; built-in domains: shop/],
      ['an empty partition', "sessionStream({ seed: 1, partition: '' })", 'INVALID_OPTION', /partition is ""; allowed: a safe integer or a non-empty string/],
      ['an option the stream does not use', 'sessionStream({ seed: 1, count: 3 })', 'INVALID_OPTION', /unknown option "count" of sessionStream; allowed: seed, domain, params, model, users, start/],
      ['options that are not an object', "sessionStream('42')", 'INVALID_OPTION', /options is "42"; expected an object such as \{ seed: __ENV\.SEED \}/],
      ['generate with an unknown type', "generate('nope', { seed: 1 })", 'UNKNOWN_TYPE', /unknown type "nope"; known types: event_stream, user, cdc_event/],
      ['bulk without a count', "bulk('user', { seed: 1 })", 'INVALID_COUNT', /count is undefined; allowed: an integer from 1 to 1000000/],
    ];
    for (const [what, call, code, message, env] of cases) {
      it(what, async () => {
        const report = await run(`const x = ${call};\nexport default function () {}`, env ? { env } : {});
        assert.equal(report.optionsError?.name, 'MockjutsuError', JSON.stringify(report.optionsError));
        assert.equal(report.optionsError!.code, code);
        assert.match(report.optionsError!.message, message);
        assert.deepEqual(report.vus, [], 'k6 stops at the failing init');
      });
    }

    it('the errors are instances of the exported MockjutsuError inside the VM', async () => {
      const report = await run('let caught;\ntry { sessionStream({ seed: 1, users: -1 }); } catch (e) { caught = [e instanceof MockjutsuError, e instanceof Error, e.code, e.path]; }\nexport default function () { return caught; }');
      assert.deepEqual(results(report), [[true, true, 'INVALID_OPTION', 'users']]);
    });
  });

  it('runs in a context with ECMAScript built-ins only', async () => {
    const report = await run(`const stream = sessionStream({ seed: __ENV.SEED });
export default function () {
  stream.nextSession();
  return [typeof Intl, typeof require, typeof process, typeof Buffer, typeof crypto, typeof TextEncoder, typeof setImmediate, typeof module];
}`, { iterations: 1 });
    assert.deepEqual(results(report), [Array(8).fill('undefined')]);
    for (const name of FORBIDDEN_GLOBALS) assert.ok(!report.vus[0]!.globals.includes(name), `global ${name} present`);
  });
});
