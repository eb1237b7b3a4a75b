// The sidecar serves any domain by name: the same bytes as the library for the seed, on every
// generating route; each domain's event schema in /openapi.json, derived from the domain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createGenerator, createSessionStream, eventStream, jutsu, serializerFor } from '../../src/core/index.js';
import { builtInDomain } from '../../src/core/domains/index.js';
import { compileDomain } from '../../src/core/domain/compileDomain.js';
import { LEDGER_FILE, ledgerDomain } from '../fixtures/domains/ledger.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { startSidecar } from '../../src/sidecar/index.js';
import { call, errorOf, readThenLeave, waitFor } from './sidecarTestKit.js';


const lines = (events: readonly unknown[]): string => events.map((e) => JSON.stringify(e) + '\n').join('');

describe('sidecar: domains served by name', () => {
  const ledger = ledgerDomain();
  let s: RunningReplaySidecar;
  before(async () => {
    s = await startReplaySidecar({ port: 0, seed: 5, log: () => {}, domains: [ledger] });
  });
  after(async () => s.close());

  it('GET /types lists the domain after the core types, with its description', async () => {
    const t = JSON.parse((await call(s.url, '/types')).body) as { types: string[]; domains: string[]; descriptions: Record<string, string> };
    assert.deepEqual(t.types, ['event_stream', 'user', 'cdc_event', 'shop', 'ledger']);
    assert.deepEqual(t.domains, ['shop', 'ledger']);
    assert.match(t.descriptions['ledger']!, /^one session of the ledger domain \(A customer's accounts/);
  });

  it('GET /generate/ledger: the library\'s session, byte for byte (renamed envelope fields included)', async () => {
    const g = createGenerator({ seed: 42, domain: ledger, users: 7 });
    for (const k of [0, 3, 11]) {
      const a = await call(s.url, `/generate/ledger?seed=42&users=7&session=${k}&raw=1`);
      assert.equal(a.status, 200);
      assert.equal(a.body, JSON.stringify(g.session('0', k)));
    }
    const first = JSON.parse((await call(s.url, '/generate/ledger?seed=42&users=7&raw=1')).body) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(first[0]!), ['event_id', 'eventType', 'streamId', 'aggregate_type', 'aggregate_id', 'version', 'global_position',
      'correlation_id', 'causation_id', 'session_id', 'user_id', 'occurredAt', 'payload']);
    // the envelope answer carries the same text; NDJSON is one event per line
    const env = JSON.parse((await call(s.url, '/generate/ledger?seed=42&users=7&session=3')).body) as { type: string; result: string };
    assert.equal(env.type, 'ledger');
    assert.equal(env.result, JSON.stringify(g.session('0', 3)));
    assert.equal((await call(s.url, '/generate/ledger?seed=42&users=7&session=3&format=ndjson')).body, lines(g.session('0', 3)));
  });

  it('the shop is also served as "shop", the same bytes as event_stream', async () => {
    const a = await call(s.url, '/generate/shop?seed=9&raw=1');
    assert.equal(a.body, (await call(s.url, '/generate/event_stream?seed=9&raw=1')).body);
    assert.equal(a.body, JSON.stringify(jutsu.generate('event_stream', { seed: 9 })));
  });

  it('GET /bulk/ledger: sessions 0..count-1 with continuous positions, JSON and NDJSON', async () => {
    const stream = createSessionStream({ seed: 'bulk', domain: ledger, partition: 'p1' });
    const sessions = [0, 1, 2, 3, 4].map(() => stream.nextSession());
    const nd = await call(s.url, '/bulk/ledger?count=5&seed=bulk&partition=p1&format=ndjson');
    assert.equal(nd.body, lines(sessions.flat()));
    const positions = sessions.flat().map((e) => (e as Record<string, unknown>)['global_position']);
    assert.deepEqual(positions, positions.map((_, i) => i + 1));
    const raw = await call(s.url, '/bulk/ledger?count=5&seed=bulk&partition=p1&raw=1');
    assert.equal(raw.body, JSON.stringify(sessions));
  });

  it('/sessions/:key/next?type=ledger and /batch: the key\'s stream of the domain, with users and start', async () => {
    const q = 'type=ledger&seed=77&users=3&start=2024-06-01T00:00:00Z';
    const want = createSessionStream({ seed: 77, domain: ledger, partition: 'thread-1', users: 3, start: '2024-06-01T00:00:00Z' }).take(40);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push((await call(s.url, `/sessions/thread-1/next?${q}`)).body);
    const batch = await call(s.url, `/sessions/thread-1/batch?${q}&n=35&format=ndjson`);
    assert.equal(got.join('\n') + '\n' + batch.body, lines(want));
    // a user with 3 users only: every event's user is one of them
    assert.ok(new Set(want.map((e) => (e as Record<string, unknown>)['user_id'])).size <= 3);
    // unit=session: whole sessions, their own cursor
    const session = await call(s.url, `/sessions/thread-1/next?${q}&unit=session`);
    assert.equal(session.body, JSON.stringify(createSessionStream({ seed: 77, domain: ledger, partition: 'thread-1', users: 3, start: '2024-06-01T00:00:00Z' }).nextSession()));
    // the shop's stream of the same key and seed is a cursor of its own, at its item 1
    const shop = await call(s.url, '/sessions/thread-1/next?seed=77');
    assert.equal(shop.body, JSON.stringify(createSessionStream({ seed: 77, partition: 'thread-1' }).next()));
  });

  it('generators are cached per domain: one seed, two domains, two generators', async () => {
    const before = s.context.generators.size;
    await call(s.url, '/generate/event_stream?seed=cache-check&raw=1');
    await call(s.url, '/generate/ledger?seed=cache-check&raw=1');
    assert.equal(s.context.generators.size, before + 2);
  });

  it('an envelope wraps each event under the domain\'s names (subject = its streamId)', async () => {
    const a = JSON.parse((await call(s.url, '/generate/ledger?seed=42&raw=1&envelope=cloudevents')).body) as Array<Record<string, unknown>>;
    const events = createGenerator({ seed: 42, domain: ledger }).session('0', 0) as Array<Record<string, unknown>>;
    assert.equal(a.length, events.length);
    a.forEach((c, i) => {
      assert.equal(c['subject'], events[i]!['streamId']);
      assert.equal(c['type'], 'com.mockjutsu.' + String(events[i]!['eventType']));
      assert.equal(c['source'], '/mockjutsu/' + String(events[i]!['aggregate_type']));
      assert.equal(c['time'], events[i]!['occurredAt']);
      assert.deepEqual(c['data'], events[i]);
    });
  });

  it('an unknown domain: 404 UNKNOWN_TYPE naming it and the served ones', async () => {
    for (const path of ['/generate/bank?seed=1', '/bulk/bank?count=1', '/sessions/k/next?type=bank', '/sessions/k/batch?type=bank&n=1']) {
      const a = await call(s.url, path);
      assert.equal(a.status, 404, path);
      assert.equal(errorOf(a).code, 'UNKNOWN_TYPE');
      assert.match(errorOf(a).message, /^unknown type "bank"; known types: event_stream, user, cdc_event; served domains: shop, ledger/, path);
    }
  });

  it('/openapi.json: each domain\'s event schema, derived from the domain, validates its events', async () => {
    const doc = JSON.parse((await call(s.url, '/openapi.json')).body) as { components: { schemas: Record<string, any> }; paths: Record<string, any> };
    const schemas = doc.components.schemas;
    const ev = schemas['Event_ledger'];
    assert.deepEqual(Object.keys(ev.properties), ['event_id', 'eventType', 'streamId', 'aggregate_type', 'aggregate_id', 'version', 'global_position',
      'correlation_id', 'causation_id', 'session_id', 'user_id', 'occurredAt', 'payload']);
    assert.deepEqual(ev.required, Object.keys(ev.properties));
    assert.deepEqual(ev.properties.eventType.enum, ['signed_in', 'account_opened', 'deposited', 'withdrawn', 'signed_out']);
    assert.deepEqual(ev.properties.aggregate_type.enum, ['Customer', 'Account']);
    assert.deepEqual(ev.oneOf.map((o: any) => o.title), ev.properties.eventType.enum);
    const withdrawn = ev.oneOf.find((o: any) => o.title === 'withdrawn');
    assert.deepEqual(withdrawn.properties.payload, ledger.definition.events!['withdrawn']!.payload!.schema);
    assert.deepEqual(schemas['Session_ledger'], { type: 'array', items: { $ref: '#/components/schemas/Event_ledger' }, description: 'One session of the ledger domain: its events in order' });
    // the shop's Event (the event contract) is derived the same way: no hand-written copy
    assert.deepEqual(Object.keys(schemas['Event'].properties).slice(0, 3), ['event_id', 'event_type', 'stream_id']);
    assert.deepEqual(schemas['Event'].properties.schema_version, { enum: [1] }); // @fastify/swagger writes const as enum
    const next = JSON.stringify(doc.paths['/sessions/{key}/next'].get.responses['200']);
    for (const name of ['Event', 'Session', 'Event_ledger', 'Session_ledger']) assert.ok(next.includes(`#/components/schemas/${name}"`), name);

    // every generated event validates against its domain's schema; a changed one does not
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    for (const [name, s] of Object.entries(schemas)) ajv.addSchema(s, `#/components/schemas/${name}`);
    const check = (name: string, e: unknown): boolean => ajv.validate(`#/components/schemas/${name}`, e) as boolean;
    const ledgerEvents = createGenerator({ seed: 3, domain: ledger }).stream('x').take(2000);
    const shopEvents = createGenerator({ seed: 3 }).stream('x').take(2000);
    for (const e of ledgerEvents) assert.ok(check('Event_ledger', e), JSON.stringify(ajv.errors));
    for (const e of shopEvents) assert.ok(check('Event', e), JSON.stringify(ajv.errors));
    const w = ledgerEvents.find((e) => (e as Record<string, unknown>)['eventType'] === 'withdrawn') as Record<string, any>;
    assert.ok(w !== undefined);
    assert.equal(check('Event_ledger', { ...w, payload: { ...w.payload, amount: 'ten' } }), false);
    assert.equal(check('Event_ledger', { ...w, eventType: 'wired' }), false);
    const { version: _v, ...noVersion } = w;
    assert.equal(check('Event_ledger', noVersion), false);
    assert.equal(check('Event', w), false);
  });

  it('a domain whose name is taken (a type or another domain) is refused at start, naming it', async () => {
    const def = JSON.parse(readFileSync(LEDGER_FILE, 'utf8')) as Record<string, unknown>;
    await assert.rejects(startSidecar({ port: 0, log: () => {}, domains: [{ ...def, domain: 'user' } as never] }),
      /domain "user" clashes with the type "user"; each served domain needs its own name/);
    await assert.rejects(startSidecar({ port: 0, log: () => {}, domains: [ledger, compileDomain(def)] }),
      /domain "ledger" clashes with another served domain named "ledger"/);
    await assert.rejects(startSidecar({ port: 0, log: () => {}, domains: ['nope'] }), /domains\[0\]: domain is "nope"; built-in domains: shop/);
  });
});

describe('sidecar: the built-in bank served by name (serve --domain bank)', () => {
  let s: RunningReplaySidecar;
  before(async () => {
    s = await startReplaySidecar({ port: 0, seed: 5, log: () => {}, domains: ['bank'] });
  });
  after(async () => s.close());
  const bankJson = serializerFor(builtInDomain('bank'));

  it('GET /types lists bank as a served domain', async () => {
    const t = JSON.parse((await call(s.url, '/types')).body) as { types: string[]; domains: string[] };
    assert.deepEqual(t.types, ['event_stream', 'user', 'cdc_event', 'shop', 'bank']);
    assert.deepEqual(t.domains, ['shop', 'bank']);
  });

  it('GET /generate/bank and /bulk/bank: the library\'s bytes for the seed (JSON, NDJSON, raw)', async () => {
    const g = createGenerator({ seed: 42, domain: 'bank' });
    for (const k of [0, 5, 17]) {
      const session = g.session('acc-1', k);
      const a = await call(s.url, `/generate/bank?seed=42&partition=acc-1&session=${k}&raw=1`);
      assert.equal(a.status, 200);
      assert.equal(a.body, JSON.stringify(session));
      assert.equal(a.body, g.serializeSession(session));
      assert.equal((await call(s.url, `/generate/bank?seed=42&partition=acc-1&session=${k}&format=ndjson`)).body, lines(session));
    }
    const first = JSON.parse((await call(s.url, '/generate/bank?seed=42&raw=1')).body) as Array<Record<string, unknown>>;
    assert.equal(first[0]!['event_type'], 'session_started');
    assert.match(String(first[0]!['stream_id']), /^BankingSession-/);
    // bulk: sessions 0..count-1 with continuous positions, as eventStream({ domain: 'bank' })
    const events = [...eventStream({ seed: 'bulk', domain: 'bank', partition: 'p2', sessions: 6 })];
    const nd = await call(s.url, '/bulk/bank?count=6&seed=bulk&partition=p2&format=ndjson');
    assert.equal(nd.body, events.map((e) => bankJson(e) + '\n').join(''));
    assert.equal(nd.body, lines(events));
    assert.deepEqual(events.map((e) => e.global_position), events.map((_, i) => i + 1));
    const stream = createSessionStream({ seed: 'bulk', domain: 'bank', partition: 'p2' });
    assert.equal((await call(s.url, '/bulk/bank?count=6&seed=bulk&partition=p2&raw=1')).body, JSON.stringify([0, 1, 2, 3, 4, 5].map(() => stream.nextSession())));
  });

  it('/sessions/:key/next?type=bank and /batch: the key\'s bank stream, byte for byte; one user\'s bank sessions with ?user=', async () => {
    const want = createSessionStream({ seed: 8, domain: 'bank', partition: 'vu-4' }).take(30);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await call(s.url, '/sessions/vu-4/next?type=bank&seed=8')).body);
    const batch = await call(s.url, '/sessions/vu-4/batch?type=bank&seed=8&n=26&format=ndjson');
    assert.equal(got.join('\n') + '\n' + batch.body, lines(want));
    const session = await call(s.url, '/sessions/vu-4/next?type=bank&seed=8&unit=session');
    assert.equal(session.body, JSON.stringify(createSessionStream({ seed: 8, domain: 'bank', partition: 'vu-4' }).nextSession()));
    // the shop's stream of the same key and seed: its own cursor, other ids
    const shop = JSON.parse((await call(s.url, '/sessions/vu-4/next?seed=8')).body) as Record<string, unknown>;
    assert.equal(JSON.stringify(shop), JSON.stringify(createSessionStream({ seed: 8, partition: 'vu-4' }).next()));
    assert.notEqual(shop['event_id'], (want[0] as unknown as Record<string, unknown>)['event_id']);
    assert.notEqual(shop['session_id'], (want[0] as unknown as Record<string, unknown>)['session_id']);
    // one user (a record drawn from a pool): that user's bank sessions only
    const record = { user_id: 'u-bank-1', email: 'one@example.com' };
    const mine = createSessionStream({ seed: 8, domain: 'bank', users: [record], partition: 'vu-5' }).take(12);
    const user = encodeURIComponent(JSON.stringify(record));
    const b = await call(s.url, `/sessions/vu-5/batch?type=bank&seed=8&n=12&format=ndjson&user=${user}`);
    assert.equal(b.body, lines(mine));
    assert.deepEqual([...new Set(mine.map((e) => (e as unknown as Record<string, unknown>)['user_id']))], ['u-bank-1']);
  });
});

/** Events of sessions 0..n-1 of a stream, in order. */
function firstSessions(options: Parameters<typeof createSessionStream>[0], n: number): unknown[] {
  const stream = createSessionStream(options);
  return Array.from({ length: n }, () => stream.nextSession()).flat();
}

describe('sidecar: NDJSON bulks made by worker threads (limits.bulkWorkers)', () => {
  const ledger = ledgerDomain();
  const records = [{ user_id: 'u-w1', email: 'one@w.test' }, { user_id: 'u-w2' }, { user_id: 'u-w3', country: 'NZ' }];
  let s: Awaited<ReturnType<typeof startSidecar>>;
  let withRecords: Awaited<ReturnType<typeof startSidecar>>;
  before(async () => {
    // One worker at a time, from 30 sessions: a second bulk at once is made in the event loop.
    const limits = { bulkWorkers: 1, bulkWorkerSessions: 30 };
    s = await startSidecar({ port: 0, seed: 5, log: () => {}, domains: [ledger, 'bank'], limits });
    withRecords = await startSidecar({ port: 0, seed: 5, log: () => {}, users: records, limits });
  });
  after(async () => {
    await s.close();
    await withRecords.close();
  });

  it('the library\'s bytes for the shop, a built-in and a served definition, two at once (worker and event loop alike)', async () => {
    const shop = '/bulk/event_stream?count=140&seed=w&partition=p3&users=40&start=2024-02-03T04:05:06Z&format=ndjson';
    const bank = '/bulk/bank?count=90&seed=7&format=ndjson';
    assert.deepEqual(s.workerBulks(), { active: 0, started: 0 });
    const [a, b] = await Promise.all([call(s.url, shop), call(s.url, bank)]);
    assert.deepEqual(s.workerBulks(), { active: 0, started: 1 }, 'one of the two at once by the worker, the other in the event loop');
    assert.equal(a.status, 200);
    assert.equal(a.headers['content-type'], 'application/x-ndjson; charset=utf-8');
    assert.equal(a.body, lines(firstSessions({ seed: 'w', partition: 'p3', users: 40, start: '2024-02-03T04:05:06Z' }, 140)));
    assert.equal(b.body, lines(firstSessions({ seed: 7, domain: 'bank' }, 90)));
    const l = await call(s.url, '/bulk/ledger?count=45&seed=bulk&partition=p1&format=ndjson');
    const ledgerEvents = firstSessions({ seed: 'bulk', domain: ledger, partition: 'p1' }, 45);
    assert.equal(l.body, lines(ledgerEvents));
    assert.equal(s.workerBulks().started, 2);
    assert.equal((ledgerEvents.at(-1) as unknown as Record<string, unknown>)['global_position'], ledgerEvents.length);
    // under the worker bound: the event loop's path, the same bytes
    assert.equal((await call(s.url, '/bulk/bank?count=29&seed=7&format=ndjson')).body, lines(firstSessions({ seed: 7, domain: 'bank' }, 29)));
    assert.equal(s.workerBulks().started, 2);
  });

  it('the sidecar\'s user records cross to the worker: sessions of those users only', async () => {
    const a = await call(withRecords.url, '/bulk/event_stream?count=60&seed=r&format=ndjson');
    assert.deepEqual(withRecords.workerBulks(), { active: 0, started: 1 });
    const want = firstSessions({ seed: 'r', users: records }, 60);
    assert.equal(a.body, lines(want));
    assert.deepEqual([...new Set(want.map((e) => (e as unknown as Record<string, unknown>)['user_id']))].sort(), ['u-w1', 'u-w2', 'u-w3']);
  });

  it('stops its worker when the client goes away, and HEAD starts none', async () => {
    const before = s.workerBulks().started;
    const head = await call(s.url, '/bulk/event_stream?count=10000000&seed=1&format=ndjson', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(s.workerBulks().started, before, 'HEAD starts no worker');
    const got = await readThenLeave(`${s.url}/bulk/event_stream?count=10000000&seed=1&format=ndjson`, 2_000_000);
    assert.ok(got > 2_000_000);
    await waitFor(() => s.inFlight() === 0);
    assert.equal(s.inFlight(), 0, 'the stream should end soon after the client left');
    // the worker slot is free again once the worker is terminated (soon after the response
    // closed): the next bulk is a worker's, and right
    assert.equal(s.workerBulks().started, before + 1);
    await waitFor(() => s.workerBulks().active === 0);
    assert.equal(s.workerBulks().active, 0, 'the worker slot is given back');
    assert.equal((await call(s.url, '/bulk/bank?count=31&seed=3&format=ndjson')).body, lines(firstSessions({ seed: 3, domain: 'bank' }, 31)));
    assert.deepEqual(s.workerBulks(), { active: 0, started: before + 2 });
  });
});
