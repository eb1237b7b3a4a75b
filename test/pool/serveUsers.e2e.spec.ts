// `mockjutsu serve --users FILE`: the sidecar's sessions belong to users that exist in the system
// under test (a recorder file, as a data-creation run leaves it). Real `serve` processes on
// 127.0.0.1; every answer is compared with the library's streams over the same records.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionStream, eventStream, jutsu, type UserRecord } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { createRecorder } from '../../src/recorder/index.js';
import { call, spawnServe, type ChildSidecar } from '../sidecar/sidecarTestKit.js';

const SEED = 42;
const records: UserRecord[] = Array.from({ length: 6 }, (_, i) => ({ user_id: `sut-user-${i}`, email: `user${i}@shop.test`, name: `Shopper ${i}` }));

const lines = (events: readonly unknown[]): string => events.map((e) => JSON.stringify(e) + '\n').join('');

describe('serve --users FILE: sessions of recorded users on /sessions, /generate and /bulk (real server)', function () {
  this.timeout(30_000);
  let dir: string;
  let s: ChildSidecar;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'i11-serve-users-'));
    const rec = createRecorder(join(dir, 'recorder-data'));
    rec.recordMany('users', records);
    rec.close();
    s = await spawnServe(['--port', '0', '--host', '127.0.0.1', '--seed', String(SEED), '--users', rec.fileOf('users')]);
  });
  after(async () => {
    s?.child.kill('SIGTERM');
    await s?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs the users it loaded; /sessions/:key/batch and /next give createSessionStream({ seed, users: records, partition: key }), every event of a recorded user', async () => {
    assert.match(s.stderr(), /mockjutsu sidecar: users: 6 records from .*users\.msgpack \(sessions of requests without \?users= belong to them\)/);
    const ref = createSessionStream({ seed: SEED, users: records, partition: 'thread-1' });
    const expected = ref.take(120);
    const batch = await call(s.url, '/sessions/thread-1/batch?n=100&format=ndjson');
    assert.equal(batch.status, 200, batch.body);
    assert.equal(batch.body, lines(expected.slice(0, 100)));
    for (let i = 100; i < 120; i++) {
      const next = await call(s.url, '/sessions/thread-1/next');
      assert.equal(next.status, 200);
      assert.equal(next.body, JSON.stringify(expected[i]));
    }
    const users = new Set(expected.map((e) => e.user_id));
    assert.ok(users.size >= 3, `several recorded users: ${[...users].join(', ')}`);
    for (const u of users) assert.match(u, /^sut-user-[0-5]$/);
    // a whole session (unit=session) of another key
    const session = await call(s.url, '/sessions/thread-2/next?unit=session');
    assert.equal(session.body, JSON.stringify(createSessionStream({ seed: SEED, users: records, partition: 'thread-2' }).nextSession()));
  });

  it('/bulk/event_stream (NDJSON) is the export pipeline over the records; ?users=N on a /bulk request still picks seeded users', async () => {
    const bulk = await call(s.url, '/bulk/event_stream?count=5&format=ndjson&partition=p7&seed=42');
    assert.equal(bulk.status, 200, bulk.body);
    assert.equal(bulk.body, [...ndjsonChunks(eventStream({ seed: SEED, users: records, partition: 'p7', sessions: 5 }))].join(''));
    for (const l of bulk.body.trimEnd().split('\n')) assert.match((JSON.parse(l) as { user_id: string }).user_id, /^sut-user-[0-5]$/);
    const counted = await call(s.url, '/bulk/event_stream?count=3&format=ndjson&partition=p8&seed=42&users=7');
    assert.equal(counted.status, 200, counted.body);
    assert.equal(counted.body, [...ndjsonChunks(eventStream({ seed: SEED, users: 7, partition: 'p8', sessions: 3 }))].join(''));
    for (const l of counted.body.trimEnd().split('\n')) assert.doesNotMatch(l, /sut-user-/);
  });

  it('/generate/user and /bulk/user give the profiles of the records (record K, K mod 6), the very profiles the sessions carry, not seeded ones', async () => {
    for (let k = 0; k < 8; k++) {
      const a = await call(s.url, `/generate/user?seed=${SEED}&session=${k}&raw=1`);
      assert.equal(a.status, 200, a.body);
      const profile = JSON.parse(a.body) as { user_id: string; email: string; first_name: string; last_name: string; user_agent: string };
      // the library over the same records, at run time (the generator's data may change)
      assert.deepEqual(profile, JSON.parse(JSON.stringify(jutsu.generate('user', { seed: SEED, users: records, session: k }))));
      assert.equal(profile.user_id, `sut-user-${k % 6}`);
      assert.equal(profile.email, `user${k % 6}@shop.test`);
      assert.deepEqual([profile.first_name, profile.last_name], ['Shopper', String(k % 6)]);
    }
    // without a seed in the query: the sidecar's --seed, the same records
    const unseeded = JSON.parse((await call(s.url, '/generate/user?session=2&raw=1')).body) as { user_id: string };
    assert.equal(unseeded.user_id, 'sut-user-2');
    const bulk = await call(s.url, `/bulk/user?count=7&seed=${SEED}&raw=1`);
    assert.equal(bulk.status, 200, bulk.body);
    assert.deepEqual((JSON.parse(bulk.body) as Array<{ user_id: string }>).map((u) => u.user_id), [0, 1, 2, 3, 4, 5, 0].map((i) => `sut-user-${i}`));
    // consistent with the sessions: every login of a served session carries its user's profile (user agent)
    const events = (await call(s.url, `/sessions/profiles-check/batch?n=300&format=ndjson&seed=${SEED}`)).body.trimEnd().split('\n')
      .map((l) => JSON.parse(l) as { event_type: string; user_id: string; payload: { user_agent?: string } });
    const logins = events.filter((e) => e.event_type === 'login');
    assert.ok(logins.length >= 5, `several sessions: ${logins.length}`);
    for (const login of logins) {
      const k = records.findIndex((r) => r.user_id === login.user_id);
      assert.ok(k >= 0, `a recorded user: ${login.user_id}`);
      const profile = JSON.parse((await call(s.url, `/generate/user?seed=${SEED}&session=${k}&raw=1`)).body) as { user_agent: string };
      assert.equal(login.payload.user_agent, profile.user_agent, `the login of ${login.user_id} uses its profile`);
    }
    // ?users=N still asks for seeded users
    const seeded = JSON.parse((await call(s.url, `/generate/user?seed=${SEED}&session=1&raw=1&users=10`)).body) as { user_id: string };
    assert.deepEqual(seeded, JSON.parse(JSON.stringify(jutsu.generate('user', { seed: SEED, users: 10, session: 1 }))));
    assert.doesNotMatch(seeded.user_id, /sut-user/);
  });

  it('sessions of one user: /sessions/:key/next|batch?user=<record JSON> (a user drawn from a pool) or ?user_id= (a user of --users) give createSessionStream({ seed, users: [record], partition: key })', async () => {
    const enc = (v: unknown): string => encodeURIComponent(JSON.stringify(v));
    // a user the sidecar has never seen (drawn from a live pool, say), as a thread holds its JSON
    const poolUser: UserRecord = { user_id: 'pool-user-9', email: 'nine@shop.test', name: 'Nine Pool' };
    const lib = (record: UserRecord, key: string) => createSessionStream({ seed: SEED, users: [record], partition: key });
    const sessions = lib(poolUser, 'pool-user-9');
    for (let i = 0; i < 3; i++) {
      const a = await call(s.url, `/sessions/pool-user-9/next?unit=session&user=${enc(poolUser)}`);
      assert.equal(a.status, 200, a.body);
      assert.equal(a.body, JSON.stringify(sessions.nextSession()), `session ${i} of the user, byte for byte`);
      for (const e of JSON.parse(a.body) as Array<{ user_id: string }>) assert.equal(e.user_id, 'pool-user-9');
    }
    // events (unit=event, its own cursor) through batch, and from= replays
    const events = lib(poolUser, 'pool-user-9').take(40);
    const batch = await call(s.url, `/sessions/pool-user-9/batch?n=40&format=ndjson&user=${enc(poolUser)}`);
    assert.equal(batch.status, 200, batch.body);
    assert.equal(batch.body, lines(events));
    const again = await call(s.url, `/sessions/pool-user-9/batch?n=5&from=11&format=ndjson&user=${enc(poolUser)}`);
    assert.equal(again.body, lines(events.slice(10, 15)));
    // the key's stream without a user is another stream (the sidecar's users), untouched
    const plain = await call(s.url, '/sessions/pool-user-9/next?unit=session');
    assert.equal(plain.body, JSON.stringify(createSessionStream({ seed: SEED, users: records, partition: 'pool-user-9' }).nextSession()));
    // ?user_id= takes the record of --users
    const byId = await call(s.url, `/sessions/t-4/next?unit=session&user_id=sut-user-4&seed=${SEED}`);
    assert.equal(byId.status, 200, byId.body);
    assert.equal(byId.body, JSON.stringify(lib(records[4]!, 't-4').nextSession()));
    // bad input: clear 4xx
    const cases: Array<[string, number, RegExp]> = [
      ['user=%7Bnope', 400, /user is "\{nope", not JSON .*expected the user's record as JSON/],
      [`user=${enc({ email: 'x@y.z' })}`, 400, /users\[0\] has user_id\/id undefined; expected a non-empty string or an integer/],
      [`user=${enc(['u'])}`, 400, /expected the user's record as a JSON object/],
      ['user_id=nobody', 404, /no user "nobody" among the users of serve --users FILE/],
      [`user_id=sut-user-1&user=${enc(poolUser)}`, 400, /not both/],
    ];
    for (const [query, status, message] of cases) {
      const a = await call(s.url, `/sessions/bad/next?${query}`);
      assert.equal(a.status, status, `${query}: ${a.body}`);
      assert.match((JSON.parse(a.body) as { error: { message: string } }).error.message, message, query);
    }
  });

  it('bad --users: a missing file, records without user_id, a count out of range => exit 2 before listening, the message names the value', async () => {
    writeFileSync(join(dir, 'no-ids.ndjson'), '{"email":"a@x.io"}\n');
    writeFileSync(join(dir, 'empty.ndjson'), '');
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'nope.ndjson'), /--users ".*nope\.ndjson": not a count \(1\.\.10000000\) and cannot read the pool file: no such file/],
      [join(dir, 'no-ids.ndjson'), /--users ".*no-ids\.ndjson": users\[0\] has user_id\/id undefined; expected a non-empty string or an integer/],
      [join(dir, 'empty.ndjson'), /--users ".*empty\.ndjson": not a count \(1\.\.10000000\) and holds no items; a pool needs at least one/],
      ['0', /--users is "0"; allowed: an integer from 1 to 10000000/],
    ];
    for (const [value, message] of cases) {
      const r = await spawnServe(['--port', '0', '--users', value]).then(
        (c) => { c.child.kill('SIGKILL'); return undefined; },
        (e: Error) => e.message,
      );
      assert.ok(r !== undefined, `serve --users ${value} started`);
      assert.match(r, /exited with 2 before listening/);
      assert.match(r, message);
    }
  });
});
