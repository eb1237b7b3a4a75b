import assert from 'node:assert/strict';
import { eventStream, jutsu, normalizeSeed, typeNames, type Session } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { call, readThenLeave, waitFor } from './sidecarTestKit.js';

// The library is the reference: the sidecar must answer the same bytes for the same seed.
const envelope = (type: string, item: unknown, seed: string | number): string =>
  JSON.stringify({ type, result: JSON.stringify(item), seed: normalizeSeed(seed), status: 'ok' });

describe('sidecar endpoints (in-process server)', () => {
  let s: RunningSidecar;
  before(async () => {
    s = await startSidecar({ port: 0, seed: 'default-seed' });
  });
  after(() => s.close(1000));

  describe('GET /generate/:type', () => {
    it('given a seed, answers jutsu.generate byte for byte, result being JSON text', async () => {
      for (const seed of [42, 'abc def', 7]) {
        const a = await call(s.url, `/generate/event_stream?seed=${encodeURIComponent(seed)}`);
        assert.equal(a.status, 200);
        assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
        assert.equal(a.body, envelope('event_stream', jutsu.generate('event_stream', { seed }), seed));
      }
    });

    it('honours session, partition, users and start', async () => {
      const opts = { seed: 9, session: 3, partition: 'p/1 x', users: 50, start: '2024-06-01T00:00:00Z' };
      const q = `seed=9&session=3&partition=${encodeURIComponent(opts.partition)}&users=50&start=${encodeURIComponent(opts.start)}`;
      const a = await call(s.url, `/generate/event_stream?${q}`);
      assert.equal(a.body, envelope('event_stream', jutsu.generate('event_stream', opts), 9));
      const epoch = await call(s.url, '/generate/event_stream?seed=9&start=1717200000000');
      assert.equal(epoch.body, envelope('event_stream', jutsu.generate('event_stream', { seed: 9, start: 1717200000000 }), 9));
    });

    it('answers the same bytes again (response cache) and for the user type', async () => {
      const first = await call(s.url, '/generate/event_stream?seed=5');
      const again = await call(s.url, '/generate/event_stream?seed=5');
      assert.equal(again.body, first.body);
      const user = await call(s.url, '/generate/user?seed=5&session=12');
      assert.equal(user.body, envelope('user', jutsu.generate('user', { seed: 5, session: 12 }), 5));
    });

    it('raw=1 answers the bare session; Accept: application/x-ndjson one event per line', async () => {
      const session = jutsu.generate('event_stream', { seed: 11 });
      const raw = await call(s.url, '/generate/event_stream?seed=11&raw=1', { headers: { Accept: 'application/json' } });
      assert.equal(raw.body, JSON.stringify(session));
      const nd = await call(s.url, '/generate/event_stream?seed=11', { headers: { Accept: 'application/x-ndjson' } });
      assert.equal(nd.headers['content-type'], 'application/x-ndjson; charset=utf-8');
      assert.equal(nd.body, session.map((e) => JSON.stringify(e) + '\n').join(''));
      // the JSON envelope is not served from the NDJSON answer's cache entry
      const again = await call(s.url, '/generate/event_stream?seed=11');
      assert.equal(again.body, envelope('event_stream', session, 11));
    });

    it('without a seed uses a fresh random one, reported so that the call can be replayed', async () => {
      const a = JSON.parse((await call(s.url, '/generate/event_stream')).body) as { seed: string; result: string };
      const b = JSON.parse((await call(s.url, '/generate/event_stream')).body) as { seed: string; result: string };
      assert.notEqual(a.seed, b.seed);
      const replay = JSON.parse((await call(s.url, `/generate/event_stream?seed=${encodeURIComponent(a.seed)}`)).body) as { result: string };
      assert.equal(replay.result, a.result);
    });

    it('answers HEAD with the headers only', async () => {
      const a = await call(s.url, '/generate/event_stream?seed=42', { method: 'HEAD' });
      assert.equal(a.status, 200);
      assert.equal(a.body, '');
      assert.ok(Number(a.headers['content-length']) > 1000);
    });
  });

  describe('GET /bulk/:type', () => {
    it('JSON: the envelope of jutsu.bulk, items as JSON text (like /generate)', async () => {
      const a = await call(s.url, '/bulk/event_stream?count=25&seed=3');
      assert.equal(a.status, 200);
      const expected = JSON.stringify({ type: 'event_stream', count: 25, seed: '3', result: jutsu.bulk('event_stream', { count: 25, seed: 3 }).map((x) => JSON.stringify(x)), status: 'ok' });
      assert.equal(a.body, expected);
      const raw = await call(s.url, '/bulk/user?count=4&seed=3&raw=1');
      assert.equal(raw.body, JSON.stringify(jutsu.bulk('user', { count: 4, seed: 3 })));
    });

    it('JSON bodies larger than a chunk stream with chunked encoding and stay identical', async () => {
      const a = await call(s.url, '/bulk/event_stream?count=400&seed=8');
      assert.equal(a.headers['transfer-encoding'], 'chunked');
      const expected = JSON.stringify({ type: 'event_stream', count: 400, seed: '8', result: jutsu.bulk('event_stream', { count: 400, seed: 8 }).map((x) => JSON.stringify(x)), status: 'ok' });
      assert.equal(a.body, expected);
    });

    it('format=ndjson: the same bytes as ndjsonChunks(eventStream({ seed, sessions }))', async () => {
      for (const [count, seed] of [[1, 1], [300, 'nd']] as const) {
        const a = await call(s.url, `/bulk/event_stream?count=${count}&seed=${seed}&format=ndjson`);
        assert.equal(a.status, 200);
        assert.equal(a.headers['content-type'], 'application/x-ndjson; charset=utf-8');
        assert.equal(a.body, [...ndjsonChunks(eventStream({ seed, sessions: count }))].join(''));
      }
      const users = await call(s.url, '/bulk/user?count=3&seed=2', { headers: { Accept: 'application/x-ndjson' } });
      assert.equal(users.body, jutsu.bulk('user', { count: 3, seed: 2 }).map((u) => JSON.stringify(u) + '\n').join(''));
    });

    it('format=ndjson stops generating when the client disconnects (10,000,000 sessions asked)', async () => {
      const received = await readThenLeave(`${s.url}/bulk/event_stream?count=10000000&seed=1&format=ndjson`, 2_000_000);
      assert.ok(received > 2_000_000);
      await waitFor(() => s.inFlight() === 0);
      assert.equal(s.inFlight(), 0, 'the stream should end soon after the client left');
      assert.equal((await call(s.url, '/health')).status, 200);
    });
  });

  describe('POST /template', () => {
    it('answers jutsu.template, field values as JSON text', async () => {
      const body = JSON.stringify({ types: ['event_stream', 'user'], count: 3, seed: 77 });
      const a = await call(s.url, '/template', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(a.status, 200);
      const records = jutsu.template(['event_stream', 'user'], { count: 3, seed: 77 })
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, JSON.stringify(v)])));
      assert.equal(a.body, JSON.stringify({ status: 'ok', seed: '77', result: records }));
      const raw = await call(s.url, '/template?raw=1', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
      assert.equal(raw.body, JSON.stringify(jutsu.template(['event_stream', 'user'], { count: 3, seed: 77 })));
    });

    it('without a seed reports the random one it used', async () => {
      const a = await call(s.url, '/template', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"types":["event_stream"],"count":1}' });
      const parsed = JSON.parse(a.body) as { seed: string; result: Array<{ event_stream: string }> };
      const replay = jutsu.template(['event_stream'], { count: 1, seed: parsed.seed });
      assert.equal(parsed.result[0]!.event_stream, JSON.stringify(replay[0]!.event_stream));
    });
  });

  describe('service routes', () => {
    it('GET /health reports status, uptime and version, but not the default seed (it is public)', async () => {
      const h = JSON.parse((await call(s.url, '/health')).body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(h), ['status', 'uptime_s', 'version']);
      assert.equal(h.status, 'ok');
      assert.equal(typeof h.uptime_s, 'number');
      assert.match(String(h.version), /^\d+\.\d+\.\d+/);
    });

    it('GET /types lists the names first (the JMeter bridge reads "types") and a description of each', async () => {
      const a = await call(s.url, '/types');
      assert.ok(a.body.startsWith('{"status":"ok","types":["'));
      const t = JSON.parse(a.body) as { types: string[]; domains: string[]; descriptions: Record<string, string> };
      // the core's types, then one per served domain (without --domain: the shop, also event_stream)
      assert.deepEqual(t.types, [...typeNames(), 'shop']);
      assert.deepEqual(t.domains, ['shop']);
      for (const name of t.types) assert.ok(t.descriptions[name]!.length > 10);
    });

    it('OPTIONS answers 204 with Allow', async () => {
      const a = await call(s.url, '/template', { method: 'OPTIONS' });
      assert.equal(a.status, 204);
      assert.equal(a.headers.allow, 'POST, OPTIONS');
    });
  });

  it('bulk JSON of one session equals /generate session 0 (consistent representation)', async () => {
    const gen = JSON.parse((await call(s.url, '/generate/event_stream?seed=4')).body) as { result: string };
    const bulk = JSON.parse((await call(s.url, '/bulk/event_stream?seed=4&count=1')).body) as { result: string[] };
    assert.equal(bulk.result[0], gen.result);
    assert.equal((JSON.parse(gen.result) as Session)[0]!.event_type, 'login');
  });
});
