// k6-scripts/pools/: the data-creation and load examples, run in the node:vm k6 harness.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jutsu, serializeSession } from '../../src/index.js';
import { startK6Harness, type K6HarnessProcess, type K6RunReport } from '../k6/k6Harness.js';
import { ensureK6Bundle } from '../k6/k6Bundle.js';

const CREATE = fileURLToPath(new URL('../../k6-scripts/pools/04-create-users.js', import.meta.url));
const LOAD = fileURLToPath(new URL('../../k6-scripts/pools/05-sign-in-sessions.js', import.meta.url));
const TARGET_URL = 'http://127.0.0.1:8099';

function clean(report: K6RunReport): void {
  assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
  assert.equal(report.setupError, undefined, JSON.stringify(report.setupError));
  for (const vu of report.vus) {
    assert.equal(vu.initError, undefined, JSON.stringify(vu.initError));
    assert.deepEqual(vu.execReadInInit, []);
    for (const it of vu.iterations) assert.equal(it.error, undefined, JSON.stringify(it.error));
  }
}

describe('k6-scripts/pools: create users, then sign each in exactly once (k6 harness)', function () {
  let harness: K6HarnessProcess;
  let dir: string;
  before(async () => {
    await ensureK6Bundle();
    harness = startK6Harness();
    dir = mkdtempSync(join(tmpdir(), 'mockjutsu-k6-pools-'));
  });
  after(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('04 registers the seeded users (If-Match 0) and its summary writes them as NDJSON records; 05 signs each in once and posts their sessions', async () => {
    for (const f of [CREATE, LOAD]) {
      const text = readFileSync(f, 'utf8');
      assert.ok(text.includes('npm run build'));
      assert.ok(text.includes(`k6 run -e SEED=42 -e TARGET_URL=http://127.0.0.1:8099 k6-scripts/pools/${f.endsWith('04-create-users.js') ? '04-create-users.js' : '05-sign-in-sessions.js'}`));
    }
    // 04: the harness runs setup() once and hands its data to the iteration function; call
    // handleSummary() with it the way k6 does at the end (summary.setup_data).
    const source = readFileSync(CREATE, 'utf8') + '\nexport function __summary(data) { return handleSummary({ setup_data: data }); }\n';
    const created = await harness.run({ script: CREATE, source, env: { SEED: '42', TARGET_URL, USERS: '12', RECORDS_OUT: 'out/users.ndjson' }, vus: [1], iterations: 1, exec: '__summary' });
    clean(created);
    const vu = created.vus[0]!;
    const users = jutsu.bulk('user', { seed: 42, count: 12 });
    assert.deepEqual(vu.requests, []); // all requests came from setup()
    const files = JSON.parse(vu.iterations[0]!.result!) as Record<string, string>;
    assert.equal(files.stdout, 'recorded 12 users in out/users.ndjson\n');
    assert.equal(files['out/users.ndjson'], users.map((u) => JSON.stringify(u) + '\n').join(''));
    const records = join(dir, 'users.ndjson');
    writeFileSync(records, files['out/users.ndjson']!);
    // the registrations themselves: one new stream per user, If-Match 0 (checked on a run of setup() alone)
    const setupOnly = await harness.run({ script: CREATE, source: readFileSync(CREATE, 'utf8').replace('export function setup()', 'export function registerAll()'), env: { SEED: '42', TARGET_URL, USERS: '12' }, vus: [1], iterations: 1, exec: 'registerAll' });
    clean(setupOnly);
    const reg = setupOnly.vus[0]!;
    assert.deepEqual(JSON.parse(reg.iterations[0]!.result!).created, users);
    assert.deepEqual(reg.checks.map((c) => c.ok), users.map(() => true));
    assert.deepEqual(reg.requests.filter((r) => r.status === 201).map((r) => r.url), users.map((u) => `${TARGET_URL}/streams/user-${u.user_id}`));
    assert.ok(reg.requests.every((r) => r.headers['If-Match'] === '0' && JSON.parse(r.body!).event_type === 'user_registered'));

    // 05: 4 VUs x 4 iterations = 16 > 12 users.
    const report = await harness.run({ script: LOAD, env: { SEED: '42', TARGET_URL, RECORDS: records }, vus: [1, 2, 3, 4], iterations: 4 });
    clean(report);
    assert.equal(JSON.parse(report.options!).scenarios.signIn.executor, 'shared-iterations');
    const requests = report.vus.flatMap((v) => v.requests);
    const signIns = requests.filter((r) => r.tags.name === 'POST /streams/:id (sign in)');
    // every recorded user signed in exactly once (in the stand-in store the user streams are
    // new, so If-Match 1 answers 409 here: what counts is which users were sent, and how often)
    assert.deepEqual(signIns.map((r) => JSON.parse(r.body!).user_id).sort(), users.map((u) => u.user_id).sort());
    const sessions = requests.filter((r) => r.tags.name === 'POST /streams/:id (session)');
    assert.equal(sessions.length, 12);
    for (const s of sessions) {
      const body = JSON.parse(s.body!) as Array<{ user_id: string }>;
      const user = users.find((u) => u.user_id === body[0]!.user_id)!;
      assert.ok(user, 'session of a recorded user');
      assert.equal(s.body, serializeSession(jutsu.generate('event_stream', { seed: 42, users: [user], partition: user.user_id })));
      assert.equal(s.status, 201, s.response);
    }
    // the 4 iterations past the last user returned early, with the message logged once per VU that hit it
    const exhaustedMetrics = report.vus.flatMap((v) => v.metrics).filter((m) => m.name === 'mockjutsu_pool_exhausted');
    assert.equal(exhaustedMetrics.length, 4);
    const warnings = report.vus.flatMap((v) => v.logs).filter((l) => l.startsWith('warn: pool "users" is exhausted: all 12 items'));
    assert.ok(warnings.length >= 1 && warnings.length <= 4, warnings.join('\n'));
  });
});
