import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSessionStream, serializeEvent, serializeSession, type Session, type SessionEvent } from '../../src/index.js';
import { assertSessionContract } from '../core/contractInvariants.js';
import { startK6Harness, type K6HarnessProcess, type K6RunReport, type K6VuReport } from './k6Harness.js';
import { ensureK6Bundle } from './k6Bundle.js';

const dir = new URL('../../k6-scripts/', import.meta.url);
const script = (name: string) => fileURLToPath(new URL(name, dir));
const TARGET_URL = 'http://127.0.0.1:8099';

function assertClean(report: K6RunReport): K6VuReport[] {
  assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
  assert.deepEqual(report.optionsExecReadInInit, []);
  for (const vu of report.vus) {
    assert.equal(vu.initError, undefined, JSON.stringify(vu.initError));
    assert.deepEqual(vu.execReadInInit, []);
    for (const it of vu.iterations) assert.equal(it.error, undefined, JSON.stringify(it.error));
    for (const c of vu.checks) assert.ok(c.ok, `check "${c.name}" failed on VU ${vu.idInTest}`);
  }
  return report.vus;
}

describe('k6-scripts: the examples run in the k6 harness', function () {
  let harness: K6HarnessProcess;
  before(async () => {
    await ensureK6Bundle();
    harness = startK6Harness();
  });
  after(() => harness.close());

  it('every example says how to run it and imports the built bundle', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
    assert.deepEqual(files, ['01-per-vu-event-streams.js', '02-session-batches.js', '03-ramping-vus-sessions.js', '04-domain-compiled-ahead.js', '05-domain-compiled-in-init.js']);
    for (const f of files) {
      const text = readFileSync(script(f), 'utf8');
      assert.ok(text.includes(`k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/${f}`), `${f}: run line`);
      assert.ok(text.includes('npm run build'), `${f}: build step`);
      // 05 compiles its domain in init: the bundle with the compiler; the others the runtime bundle.
      assert.match(text, f.startsWith('05-') ? /from '\.\.\/dist\/k6\/mockjutsu-domains\.js'/ : /from '\.\.\/dist\/k6\/mockjutsu\.js'/);
    }
    // (04 and 05 run in goja: test/k6/domainModules.e2e.spec.ts)
  });

  it('01: each VU posts its own events one by one, with If-Match = stream_version - 1, counted and checked', async () => {
    const vus = [1, 2, 3];
    const report = await harness.run({ script: script('01-per-vu-event-streams.js'), env: { SEED: '42', TARGET_URL }, vus, iterations: 40 });
    assert.equal(JSON.parse(report.options!).vus, 10);
    assertClean(report).forEach((vu, i) => {
      const expected = createSessionStream({ seed: 42, partition: vus[i]! }).take(40);
      assert.equal(vu.requests.length, 40);
      vu.requests.forEach((r, j) => {
        const e = expected[j]!;
        assert.equal(r.method, 'POST');
        assert.equal(r.url, `${TARGET_URL}/streams/${e.stream_id}`);
        assert.equal(r.body, serializeEvent(e));
        assert.equal(r.headers['If-Match'], String(e.stream_version - 1));
        assert.equal(r.headers['Content-Type'], 'application/json');
        assert.equal(r.tags.name, 'POST /streams/:id');
        assert.equal(r.status, 201, r.response);
      });
      assert.equal(vu.checks.length, 80);
      assert.deepEqual(vu.metrics.map((m) => [m.name, m.type, m.value]), expected.map(() => ['mockjutsu_events_sent', 'counter', 1]));
    });
  });

  it('01: without TARGET_URL it targets the sidecar on 127.0.0.1:8099', async () => {
    const report = await harness.run({ script: script('01-per-vu-event-streams.js'), env: { SEED: '1' }, vus: [1], iterations: 1 });
    assert.match(assertClean(report)[0]!.requests[0]!.url, /^http:\/\/127\.0\.0\.1:8099\/streams\/ShoppingSession-/);
  });

  it('02: each iteration posts a whole session as one array body, appended at version 0', async () => {
    const vus = [4, 5];
    const report = await harness.run({ script: script('02-session-batches.js'), env: { SEED: '42', TARGET_URL, USERS: '50', VUS: '2', SESSIONS: '12' }, vus, iterations: 12 });
    // per-vu-iterations: every VU sends SESSIONS sessions, what `verify --sessions` expects.
    assert.deepEqual(JSON.parse(report.options!).scenarios, { sessions: { executor: 'per-vu-iterations', vus: 2, iterations: 12 } });
    assertClean(report).forEach((vu, i) => {
      const lib = createSessionStream({ seed: 42, partition: vus[i]!, users: 50 });
      const seen = new Set<string>();
      assert.equal(vu.requests.length, 12);
      let events = 0;
      for (const r of vu.requests) {
        const session = lib.nextSession();
        events += session.length;
        assert.equal(r.body, serializeSession(session));
        assertSessionContract(JSON.parse(r.body!) as Session, seen);
        assert.equal(r.url, `${TARGET_URL}/streams/${session[0]!.stream_id}`);
        assert.equal(r.headers['If-Match'], '0');
        assert.equal(r.status, 201, r.response);
        assert.deepEqual(JSON.parse(r.response), { stream_id: session[0]!.stream_id, version: session.length });
      }
      const sum = (name: string) => vu.metrics.filter((m) => m.name === name).reduce((a, m) => a + m.value, 0);
      assert.equal(sum('mockjutsu_events_sent'), events);
      assert.equal(sum('mockjutsu_sessions_sent'), 12);
      assert.equal(vu.metrics.filter((m) => m.name === 'mockjutsu_session_events' && m.type === 'trend').length, 12);
    });
  });

  it('03: a ramping-vus scenario; requests are tagged with the VU id, session index and iteration', async () => {
    const vus = [1, 2, 3, 4];
    const report = await harness.run({ script: script('03-ramping-vus-sessions.js'), env: { SEED: '42', TARGET_URL, LOG_SESSIONS: '1' }, vus, iterations: 3, scenario: 'shoppers' });
    const options = JSON.parse(report.options!) as { scenarios: Record<string, { executor: string }> };
    assert.equal(options.scenarios.shoppers!.executor, 'ramping-vus');
    assertClean(report).forEach((vu, i) => {
      const lib = createSessionStream({ seed: 42, partition: vus[i]! });
      const bySession = new Map<string, SessionEvent[]>();
      for (const r of vu.requests) {
        assert.equal(r.tags.vu, String(vus[i]));
        assert.equal(r.tags.session, r.tags.iteration, 'iteration i of a VU posts session i of its partition');
        bySession.set(r.tags.session!, [...(bySession.get(r.tags.session!) ?? []), JSON.parse(r.body!) as SessionEvent]);
        assert.equal(r.status, 201, r.response);
      }
      assert.deepEqual([...bySession.keys()], ['0', '1', '2']);
      for (const [, events] of bySession) assert.equal(JSON.stringify(events), JSON.stringify(lib.nextSession()));
      assert.equal(vu.logs.length, 3);
      assert.match(vu.logs[0]!, new RegExp(`^info: vu=${vus[i]} iteration=0 -> session 0 of partition ${vus[i]} \\(seed 42\\)`));
    });
  });

  it('a repeated run against the same store conflicts (409) and the checks say so', async () => {
    // Same instance, same store, two VUs with the same id: the second appends at versions taken.
    const report = await harness.run({ script: script('01-per-vu-event-streams.js'), env: { SEED: '42', TARGET_URL }, vus: [1, 1], iterations: 3 });
    const [first, second] = report.vus;
    assert.ok(first!.checks.every((c) => c.ok));
    assert.deepEqual(second!.requests.map((r) => r.status), [409, 409, 409]);
    assert.ok(second!.checks.some((c) => c.name === 'no version conflict (409)' && !c.ok));
  });
});
