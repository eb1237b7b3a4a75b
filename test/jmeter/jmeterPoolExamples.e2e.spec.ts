// jmeter-bridge/examples/create-users.jmx and sign-in-users.jmx on the real engine (JMeter
// 5.6.3, `jmeter -n -t`), against real HTTP servers on 127.0.0.1: the system under test (a
// `mockjutsu serve` event store, If-Match checked) and the mockjutsu sidecar that records the
// created users and serves them as a non-recyclable pool. Skips when JMeter is not installed,
// except under CI=true, where that fails.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jutsu } from '../../src/index.js';
import { readRecordsOf } from '../../src/recorder/index.js';
import { freePort, killChildren, removeDir, requireJars, requireJmeter, ROOT, runJmx, Sidecar } from './jmeterHarness.ts';

const CREATE = join(ROOT, 'jmeter-bridge', 'examples', 'create-users.jmx');
const LOAD = join(ROOT, 'jmeter-bridge', 'examples', 'sign-in-users.jmx');
const SEED = 42;

interface User { user_id: string; email: string; first_name: string }

/** Profile k as `GET /generate/user?seed=42&session=k&users=10000000` serves it. */
function profile(k: number): User {
  return JSON.parse(JSON.stringify(jutsu.generate('user', { seed: SEED, session: k, users: 10_000_000 }))) as User;
}

async function postEvent(base: string, stream: string, body: unknown, ifMatch: string): Promise<number> {
  const r = await fetch(`${base}/streams/${encodeURIComponent(stream)}`, { method: 'POST', headers: { 'content-type': 'application/json', 'if-match': ifMatch }, body: JSON.stringify(body) });
  await r.arrayBuffer();
  return r.status;
}

async function streamOf(base: string, stream: string): Promise<Array<{ event_type: string; user_id: string; payload: Record<string, unknown> }>> {
  const r = await fetch(`${base}/streams/${encodeURIComponent(stream)}`);
  if (r.status === 404) return [];
  assert.equal(r.status, 200, `GET /streams/${stream}`);
  return ((await r.json()) as { events: Array<{ data: never }> }).events.map((e) => e.data);
}

describe('JMeter example plans: create users and record them, then sign each in once from a pool (real engine)', function () {
  this.timeout(180_000);
  let dir: string | undefined;
  let system: Sidecar | undefined;
  let sidecar: Sidecar | undefined;

  before(async function () {
    requireJmeter(this);
    this.timeout(240_000);
    await requireJars(this);
    dir = mkdtempSync(join(tmpdir(), 'i11-jmx-'));
    // the system under test: an event store on 127.0.0.1 (another process than the sidecar)
    system = await new Sidecar({ port: await freePort(), seed: '1' }).start();
    sidecar = await new Sidecar({ port: await freePort(), seed: String(SEED), args: ['--records-dir', join(dir, 'records')] }).start();
  });

  after(async () => {
    await sidecar?.stop();
    await system?.stop();
    await killChildren();
    removeDir(dir);
  });

  it('create-users.jmx: 4 threads x 10 create 40 users, the one the system refuses (409) is not recorded, each created user recorded once; sign-in-users.jmx: 8 threads sign each recorded user in once, then stop at exhaustion', async () => {
    const threads = 4;
    const loops = 10;
    const all = Array.from({ length: threads * loops }, (_, k) => profile(k));
    assert.equal(new Set(all.map((u) => u.user_id)).size, all.length);
    // user 7 exists already: its registration must fail, and it must not be recorded
    const taken = all[7]!;
    assert.equal(await postEvent(system!.url, `user-${taken.user_id}`, { event_id: 'pre-existing', event_type: 'user_registered', user_id: taken.user_id }, '0'), 201);

    const created = await runJmx({
      dir: dir!, name: 'create-users', plan: CREATE,
      props: { TARGET_URL: system!.url, 'mockjutsu.url': sidecar!.url, SEED, THREADS: threads, LOOPS: loops },
      sampleVariables: ['user_index', 'user_id'],
    });
    const profiles = created.rows.filter((r) => r.label === 'mockjutsu: user profile');
    const registers = created.rows.filter((r) => r.label === 'register user');
    const records = created.rows.filter((r) => r.label === 'mockjutsu: record user');
    assert.equal(profiles.length, threads * loops, `one profile per iteration\n${created.log.slice(-3000)}`);
    assert.ok(profiles.every((r) => r.success === 'true' && r.responseCode === '200'));
    // the shared counter gave every iteration its own profile index 0..39
    assert.deepEqual(profiles.map((r) => Number(r.user_index)).sort((a, b) => a - b), all.map((_, k) => k));
    assert.equal(registers.length, threads * loops);
    const refused = registers.filter((r) => r.success !== 'true');
    assert.deepEqual(refused.map((r) => [r.responseCode, r.user_id]), [['409', taken.user_id]], 'only the pre-existing user is refused');
    assert.equal(records.length, threads * loops - 1, 'a user the system refused is never recorded');
    assert.ok(records.every((r) => r.success === 'true' && r.responseCode === '201'), JSON.stringify(records.find((r) => r.success !== 'true')));

    // the record file: every created user exactly once, byte-equal profiles, nothing else
    const expected = all.filter((u) => u !== taken);
    const recorded = readRecordsOf<User>(join(dir!, 'records'), 'users');
    assert.equal(recorded.ignoredBytes, 0);
    assert.equal(recorded.items.length, expected.length);
    const byId = (a: User, b: User) => (a.user_id < b.user_id ? -1 : 1);
    assert.deepEqual([...recorded.items].sort(byId), [...expected].sort(byId));
    // and in the system: one registration per created user, the profile as its payload
    for (const u of expected) {
      const events = await streamOf(system!.url, `user-${u.user_id}`);
      assert.equal(events.length, 1, u.user_id);
      assert.equal(events[0]!.event_type, 'user_registered');
      assert.deepEqual(events[0]!.payload, u as unknown as Record<string, unknown>);
    }

    // load: 8 threads draw the live pool the records filled, until it runs out
    const signers = 8;
    const load = await runJmx({
      dir: dir!, name: 'sign-in-users', plan: LOAD,
      props: { TARGET_URL: system!.url, 'mockjutsu.url': sidecar!.url, THREADS: signers },
      sampleVariables: ['user', 'user_id', 'email', 'mockjutsu_error'],
    });
    const draws = load.rows.filter((r) => r.label === 'mockjutsu: next user');
    const signIns = load.rows.filter((r) => r.label === 'sign in');
    assert.equal(signIns.length, expected.length, `one sign-in per recorded user\n${load.log.slice(-3000)}`);
    for (const r of signIns) assert.equal(r.responseCode, '201', `${r.user_id}: ${r.responseCode} ${r.responseMessage}`);
    const signedIn = signIns.map((r) => r.user_id!);
    assert.equal(new Set(signedIn).size, signedIn.length, 'no user signed in twice, across threads');
    assert.deepEqual([...signedIn].sort(), expected.map((u) => u.user_id).sort(), 'only recorded users, all of them');
    // each draw carried the whole recorded item
    const recordedById = new Map(expected.map((u) => [u.user_id, u]));
    const given = draws.filter((r) => r.user !== '');
    assert.equal(given.length, expected.length);
    for (const r of given) {
      assert.equal(r.success, 'true');
      assert.equal(r.mockjutsu_error, '');
      assert.deepEqual(JSON.parse(r.user!), recordedById.get(r.user_id!));
      assert.equal(r.email, recordedById.get(r.user_id!)!.email);
    }
    // every thread ended on the pool running out: one draw each, not a failed sample, then stopped
    const ends = draws.filter((r) => r.user === '');
    assert.equal(ends.length, signers, 'one exhausted draw per thread, then the thread stopped');
    assert.equal(new Set(ends.map((r) => r.threadName)).size, signers);
    for (const r of ends) {
      assert.equal(r.success, 'true', 'the pool running out is not a failure');
      assert.match(r.mockjutsu_error!, /pool "users" is exhausted: all 39 items were handed out once/);
    }
    // in the system: each created user registered, then signed in once (If-Match 1 passed)
    for (const u of expected) {
      const events = await streamOf(system!.url, `user-${u.user_id}`);
      assert.deepEqual(events.map((e) => e.event_type), ['user_registered', 'user_signed_in'], u.user_id);
      assert.deepEqual(events[1]!.payload, { email: u.email });
    }
    assert.deepEqual((await streamOf(system!.url, `user-${taken.user_id}`)).map((e) => e.event_type), ['user_registered'], 'the unrecorded user was never signed in');
  });

  it('sign-in-users.jmx against a sidecar that is not there: the draw fails with mockjutsu_error, nothing is signed in, every thread stops', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const run = await runJmx({
      dir: dir!, name: 'sign-in-no-sidecar', plan: LOAD,
      props: { TARGET_URL: system!.url, 'mockjutsu.url': dead, THREADS: 3 },
      sampleVariables: ['user', 'mockjutsu_error'],
    });
    assert.equal(run.rows.filter((r) => r.label === 'sign in').length, 0);
    const draws = run.rows.filter((r) => r.label === 'mockjutsu: next user');
    assert.equal(draws.length, 3, 'one draw per thread, then it stopped');
    for (const r of draws) {
      assert.equal(r.success, 'false', 'an unreachable sidecar fails the sample');
      assert.ok(r.mockjutsu_error!.startsWith(`mockjutsu sidecar ${dead}: cannot connect`), r.mockjutsu_error);
    }
  });
});
