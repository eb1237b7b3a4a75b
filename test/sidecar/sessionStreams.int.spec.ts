import assert from 'node:assert/strict';
import { createSessionStream, jutsu, wrapSessionEvent, type SessionStream } from '../../src/core/index.js';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { call, errorOf } from './sidecarTestKit.js';

const seg = (key: string): string => encodeURIComponent(key);
const eventLines = (stream: SessionStream, n: number): string => stream.take(n).map((e) => JSON.stringify(e) + '\n').join('');
const sessionLines = (stream: SessionStream, n: number): string =>
  Array.from({ length: n }, () => JSON.stringify(stream.nextSession()) + '\n').join('');

/** Events from..from+n-1 (1-based) of a key's stream, straight from the library. */
function eventsAt(seed: string | number, key: string, from: number, n: number): string {
  const s = createSessionStream({ seed, partition: key });
  s.take(from - 1);
  return eventLines(s, n);
}

describe('sidecar per-key session streams', () => {
  let s: RunningSidecar;
  before(async () => {
    s = await startSidecar({ port: 0, seed: 1234 });
  });
  after(() => s.close(1000));

  it('?user=<record JSON> gives the sessions of that one user (createSessionStream({ seed, users: [record], partition: key })); ?user_id= needs serve --users FILE', async () => {
    const record = { id: 77, email: 'seventy7@shop.test', first_name: 'Sev' };
    const q = encodeURIComponent(JSON.stringify(record));
    const a = await call(s.url, `/sessions/user-77/batch?n=30&format=ndjson&user=${q}`);
    assert.equal(a.status, 200, a.body);
    const expected = createSessionStream({ seed: 1234, users: [record], partition: 'user-77' }).take(30);
    assert.equal(a.body, expected.map((e) => JSON.stringify(e) + '\n').join(''));
    assert.ok(expected.every((e) => e.user_id === '77'));
    const noRecords = await call(s.url, '/sessions/user-77/next?user_id=77');
    assert.equal(noRecords.status, 400);
    assert.match(errorOf(noRecords).message, /user_id needs the users of serve --users FILE, and this sidecar has none; give the record itself as user=<JSON>/);
  });

  it('GET /sessions/:key/next gives the .next() sequence of createSessionStream({ seed, partition: key })', async () => {
    const ref = createSessionStream({ seed: 5, partition: 'thread-1' });
    for (let i = 1; i <= 25; i++) {
      const a = await call(s.url, '/sessions/thread-1/next?seed=5');
      assert.equal(a.status, 200);
      assert.equal(a.body, JSON.stringify(ref.next()));
      assert.equal(a.headers['x-mockjutsu-next'], String(i + 1));
    }
  });

  it('envelope=cloudevents|eventbridge wraps each event as export --envelope does; the cursor is the same stream', async () => {
    const ref = createSessionStream({ seed: 5, partition: 'env-1' });
    const first = await call(s.url, '/sessions/env-1/batch?seed=5&n=7&format=ndjson&envelope=cloudevents');
    assert.equal(first.status, 200, first.body);
    assert.equal(first.body, ref.take(7).map((e) => JSON.stringify(wrapSessionEvent(e, 'cloudevents', '5', 'env-1')) + '\n').join(''));
    const next = await call(s.url, '/sessions/env-1/next?seed=5&envelope=eventbridge');
    assert.equal(next.body, JSON.stringify(wrapSessionEvent(ref.next(), 'eventbridge', '5', 'env-1')));
    const cdc = await call(s.url, '/sessions/env-2/batch?seed=5&n=3&type=cdc_event&format=ndjson&envelope=cloudevents');
    assert.equal(cdc.status, 200, cdc.body);
    assert.deepEqual(cdc.body.trimEnd().split('\n').map((l) => (JSON.parse(l) as { data: unknown }).data), jutsu.bulk('cdc_event', { seed: 5, count: 3, partition: 'env-2' }));
    const bad = await call(s.url, '/sessions/env-3/next?envelope=kafka');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /envelope/);
  });

  it('without seed, uses the sidecar default seed', async () => {
    const a = await call(s.url, '/sessions/dflt/next');
    assert.equal(a.body, JSON.stringify(createSessionStream({ seed: 1234, partition: 'dflt' }).next()));
  });

  it('batch unit=event, NDJSON: exactly n lines, consecutive batches continue the stream', async () => {
    const ref = createSessionStream({ seed: 'b', partition: 'k' });
    let expectedNext = 1;
    for (const n of [1, 7, 30, 2]) {
      const a = await call(s.url, `/sessions/k/batch?n=${n}&seed=b&format=ndjson`);
      assert.equal(a.status, 200);
      assert.equal(a.headers['content-type'], 'application/x-ndjson; charset=utf-8');
      assert.equal(a.body, eventLines(ref, n));
      expectedNext += n;
      assert.equal(a.headers['x-mockjutsu-next'], String(expectedNext));
    }
  });

  it('batch unit=session gives .nextSession(), one JSON array per line; units keep separate cursors', async () => {
    const events = createSessionStream({ seed: 'u', partition: 'mixed' });
    const sessions = createSessionStream({ seed: 'u', partition: 'mixed' });
    const ev1 = await call(s.url, '/sessions/mixed/batch?n=5&seed=u', { headers: { Accept: 'application/x-ndjson' } });
    assert.equal(ev1.body, eventLines(events, 5));
    const se1 = await call(s.url, '/sessions/mixed/batch?n=3&seed=u&unit=session&format=ndjson');
    assert.equal(se1.body, sessionLines(sessions, 3));
    assert.equal(se1.headers['x-mockjutsu-next'], '4');
    const ev2 = await call(s.url, '/sessions/mixed/batch?n=5&seed=u&format=ndjson');
    assert.equal(ev2.body, eventLines(events, 5));
    const se2 = await call(s.url, '/sessions/mixed/next?seed=u&unit=session');
    assert.equal(se2.body, JSON.stringify(sessions.nextSession()));
  });

  it('batch JSON: {"status","key","seed","unit","items","next"} with items as objects', async () => {
    const a = await call(s.url, `/sessions/${seg('j son')}/batch?n=4&seed=3`);
    const ref = createSessionStream({ seed: 3, partition: 'j son' });
    assert.equal(a.body, JSON.stringify({ status: 'ok', key: 'j son', seed: '3', unit: 'event', items: ref.take(4), next: 5 }));
    const b = await call(s.url, `/sessions/${seg('j son')}/batch?n=2&seed=3&unit=session`);
    const sessions = createSessionStream({ seed: 3, partition: 'j son' });
    assert.equal(b.body, JSON.stringify({ status: 'ok', key: 'j son', seed: '3', unit: 'session', items: [sessions.nextSession(), sessions.nextSession()], next: 3 }));
  });

  it('from: resumes anywhere, earlier positions included, and the same from twice gives the same bytes', async () => {
    const key = 'resume/ü 1';
    const base = `/sessions/${seg(key)}/batch?seed=9&format=ndjson`;
    const first = await call(s.url, `${base}&n=10&from=1`);
    assert.equal(first.body, eventsAt(9, key, 1, 10));
    const second = await call(s.url, `${base}&n=10&from=11`);
    assert.equal(second.body, eventsAt(9, key, 11, 10));
    const repeat = await call(s.url, `${base}&n=10&from=11`);
    assert.equal(repeat.body, second.body, 'idempotent re-request');
    const earlier = await call(s.url, `${base}&n=3&from=5`);
    assert.equal(earlier.body, eventsAt(9, key, 5, 3));
    const ahead = await call(s.url, `${base}&n=4&from=500`);
    assert.equal(ahead.body, eventsAt(9, key, 500, 4));
    assert.equal(ahead.headers['x-mockjutsu-next'], '504');
    const again = await call(s.url, `${base}&n=10&from=1`);
    assert.equal(again.body, first.body);
  });

  it('from with unit=session addresses sessions', async () => {
    const ref = createSessionStream({ seed: 4, partition: 'ss' });
    ref.nextSession();
    ref.nextSession();
    const a = await call(s.url, '/sessions/ss/batch?seed=4&unit=session&from=3&n=2&format=ndjson');
    assert.equal(a.body, sessionLines(ref, 2));
    const b = await call(s.url, '/sessions/ss/batch?seed=4&unit=session&from=3&n=2&format=ndjson');
    assert.equal(b.body, a.body);
  });

  it('the JMeter bridge request (from, format=ndjson, type) works for the user type too', async () => {
    const a = await call(s.url, '/sessions/eng-1%2Fgroup%2F3/batch?n=3&unit=event&from=1&format=ndjson&seed=2&type=user', { headers: { Accept: 'application/x-ndjson' } });
    assert.equal(a.status, 200);
    assert.equal(a.body, jutsu.bulk('user', { count: 3, seed: 2, partition: 'eng-1/group/3' }).map((u) => JSON.stringify(u) + '\n').join(''));
    assert.equal(a.headers['x-mockjutsu-next'], '4');
  });

  it('keys: percent-decoded, up to 512 characters', async () => {
    const long = 'x'.repeat(512);
    const ok = await call(s.url, `/sessions/${long}/next?seed=1`);
    assert.equal(ok.body, JSON.stringify(createSessionStream({ seed: 1, partition: long }).next()));
    const tooLong = await call(s.url, `/sessions/${long}y/next?seed=1`);
    assert.equal(tooLong.status, 400);
    assert.match(errorOf(tooLong).message, /513 characters long; allowed: 1 to 512/);
    const bad = await call(s.url, '/sessions/%E0%A4%A/next');
    assert.equal(bad.status, 400);
  });

  it('HEAD answers the head only and does not move the cursor', async () => {
    const head = await call(s.url, '/sessions/h/batch?n=3&seed=h&format=ndjson', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-mockjutsu-next'], '4');
    await call(s.url, '/sessions/h/next?seed=h', { method: 'HEAD' });
    const a = await call(s.url, '/sessions/h/batch?n=3&seed=h&format=ndjson');
    assert.equal(a.body, eventsAt('h', 'h', 1, 3));
  });

  it('concurrent requests on one key are served one at a time, each a consistent slice', async () => {
    const n = 13;
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(s.url, `/sessions/busy/batch?n=${n}&seed=c&format=ndjson`)));
    const all = eventsAt('c', 'busy', 1, 12 * n);
    const lines = all.split('\n');
    const seen = new Set<number>();
    for (const a of answers) {
      const next = Number(a.headers['x-mockjutsu-next']);
      seen.add(next);
      assert.equal(a.body, lines.slice(next - 1 - n, next - 1).join('\n') + '\n');
    }
    assert.equal(seen.size, 12);
  });

  it('rejects n, unit and from out of range, naming the value', async () => {
    for (const [q, re] of [
      ['n=0', /n is "0"; allowed: an integer from 1 to 10000/],
      ['n=10001', /n is "10001"/],
      ['n=abc', /n is "abc"/],
      ['', /n is missing/],
      ['n=1&unit=hour', /unit is "hour"; allowed: event, session/],
      ['n=1&from=0', /from is "0"; allowed: an integer from 1/],
      ['n=1&from=9000000000000', /from is 9000000000000; reaching it would regenerate more than/],
      ['n=1&type=car', /unknown type "car"; known types: event_stream, user, cdc_event/],
    ] as const) {
      const a = await call(s.url, `/sessions/r/batch?${q}`);
      assert.ok(a.status === 400 || a.status === 404, `${q}: ${a.status}`);
      assert.match(errorOf(a).message, re, q);
    }
  });
});

describe('sidecar session streams under eviction (tiny limits)', () => {
  let s: RunningSidecar;
  before(async () => {
    s = await startSidecar({ port: 0, seed: 1, sessions: { maxLiveStreams: 2, maxCursors: 3 } });
  });
  after(() => s.close(1000));

  it('round-robin over 6 keys with 2 live streams: every key still follows its own stream exactly', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const refs = new Map(keys.map((k) => [k, createSessionStream({ seed: 'ev', partition: k })]));
    const next = new Map(keys.map((k) => [k, 1]));
    for (let round = 0; round < 4; round++) {
      for (const k of keys) {
        // with only 3 cursors the server forgets where most keys stood: the client's from keeps them exact
        const a = await call(s.url, `/sessions/${k}/batch?n=9&seed=ev&from=${next.get(k)}&format=ndjson`);
        assert.equal(a.body, eventLines(refs.get(k)!, 9), `key ${k} round ${round}`);
        next.set(k, Number(a.headers['x-mockjutsu-next']));
      }
    }
    const stats = s.context.sessions.stats();
    assert.ok(stats.liveStreams <= 2 && stats.cursors <= 3, JSON.stringify(stats));
    assert.ok(stats.rebuilds >= 20, `streams were rebuilt from saved state: ${JSON.stringify(stats)}`);
  });

  it('a seek that fails half-way (too far) leaves the key\'s stream exact', async () => {
    const short = await startSidecar({ port: 0, seed: 1, sessions: { maxSeekSessions: 50 } });
    try {
      const base = '/sessions/seek/batch?seed=s&format=ndjson';
      assert.equal((await call(short.url, `${base}&n=3`)).body, eventsAt('s', 'seek', 1, 3));
      const far = await call(short.url, `${base}&n=1&from=2000`);
      assert.equal(far.status, 400);
      assert.match(errorOf(far).message, /more than 50 sessions/);
      assert.equal((await call(short.url, `${base}&n=3`)).body, eventsAt('s', 'seek', 4, 3));
    } finally {
      await short.close(1000);
    }
  });

  it('without from, a key whose live stream was evicted (cursor kept) continues exactly', async () => {
    const solo = await startSidecar({ port: 0, seed: 1, sessions: { maxLiveStreams: 1 } });
    try {
      const refs = { p: createSessionStream({ seed: 2, partition: 'p' }), q: createSessionStream({ seed: 2, partition: 'q' }) };
      for (let i = 0; i < 5; i++) {
        for (const k of ['p', 'q'] as const) {
          const a = await call(solo.url, `/sessions/${k}/batch?n=6&seed=2&format=ndjson`);
          assert.equal(a.body, eventLines(refs[k], 6));
        }
      }
      assert.equal(solo.context.sessions.stats().liveStreams, 1);
    } finally {
      await solo.close(1000);
    }
  });
});
