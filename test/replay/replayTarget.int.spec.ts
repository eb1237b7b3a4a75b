import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator, type SessionEvent } from '../../src/core/index.js';
import { JsonlEventStore } from '../../src/store/index.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call, postEvent, postSession, readAll, tempDir } from './replayKit.js';

describe('replay target: POST/GET /streams/:id, GET /all (in-process sidecar on a JSONL store)', () => {
  const tmp = tempDir('replay');
  const file = join(tmp.dir, 'events.jsonl');
  const logs: string[] = [];
  let s: RunningReplaySidecar;
  const generator = createGenerator({ seed: 'replay-target' });
  const session = (partition: number, k: number): SessionEvent[] => generator.session(partition, k);

  before(async () => {
    s = await startReplaySidecar({ port: 0, store: file, fsync: false, log: (line) => logs.push(line) });
  });
  after(async () => {
    await s?.close(1000);
    tmp.remove();
  });

  it('appends a single event with If-Match: version - 1 (201, stream_version, global_position) and stores it untouched', async () => {
    const [login] = session(0, 0);
    const a = await postEvent(s.url, login!);
    assert.equal(a.status, 201, a.text);
    assert.deepEqual(a.body, { status: 'ok', stream_id: login!.stream_id, stream_version: 1, global_position: 1, count: 1, first_stream_version: 1 });
    const stream = await call(`${s.url}/streams/${encodeURIComponent(login!.stream_id)}`);
    assert.equal(stream.status, 200);
    assert.equal(stream.body.stream_version, 1);
    const [record] = stream.body.events;
    assert.equal(record.type, 'login');
    assert.equal(record.idempotency_key, login!.event_id);
    assert.equal(JSON.stringify(record.data), JSON.stringify(login), 'data is the generated event, byte for byte');
  });

  it('appends a whole session as one atomic batch (array body) and as {expected_version, events}', async () => {
    const one = session(0, 1);
    const a = await postSession(s.url, one);
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.stream_version, one.length);
    assert.equal(a.body.count, one.length);
    assert.equal(a.body.first_stream_version, 1);

    const two = session(0, 2);
    const b = await call(`${s.url}/streams/${encodeURIComponent(two[0]!.stream_id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ expected_version: 'no_stream', events: two }),
    });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.body.stream_version, two.length);
    const back = await call(`${s.url}/streams/${encodeURIComponent(two[0]!.stream_id)}`);
    assert.deepEqual(back.body.events.map((r: any) => r.data.event_id), two.map((e) => e.event_id));
  });

  it('a batch whose expected version is wrong writes nothing (409 with current_version)', async () => {
    const three = session(0, 3);
    const first = await postEvent(s.url, three[0]!);
    assert.equal(first.status, 201);
    const before = (await call(`${s.url}/all?limit=1`)).body.global_position;
    const bad = await call(`${s.url}/streams/${encodeURIComponent(three[0]!.stream_id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'If-Match': '0' },
      body: JSON.stringify(three.slice(1)),
    });
    assert.equal(bad.status, 409, bad.text);
    assert.equal(bad.body.error.code, 'CONCURRENCY_CONFLICT');
    assert.equal(bad.body.error.current_version, 1);
    assert.equal((await call(`${s.url}/all?limit=1`)).body.global_position, before, 'nothing written');
  });

  it('If-Match conflicts: 409 CONCURRENCY_CONFLICT naming expected and current version; the named constants', async () => {
    const ev = session(1, 0);
    const id = encodeURIComponent(ev[0]!.stream_id);
    for (const e of ev.slice(0, 5)) assert.equal((await postEvent(s.url, e)).status, 201);

    const conflict = await postEvent(s.url, ev[5]!, { ifMatch: '3' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.status, 'error');
    assert.equal(conflict.body.error.code, 'CONCURRENCY_CONFLICT');
    assert.equal(conflict.body.error.current_version, 5);
    assert.equal(conflict.body.error.expected_version, 3);
    assert.match(conflict.body.error.message, /expected version 3, stream is at 5/);

    const noStream = await postEvent(s.url, ev[5]!, { ifMatch: 'no_stream' });
    assert.equal(noStream.status, 409);
    assert.equal(noStream.body.error.expected_version, 'no_stream');
    assert.equal(noStream.body.error.current_version, 5);

    const missing = encodeURIComponent('no-such-stream');
    const exists = await call(`${s.url}/streams/${missing}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'If-Match': '*' }, body: JSON.stringify({ ...ev[5], stream_id: 'no-such-stream' }),
    });
    assert.equal(exists.status, 409);
    assert.equal(exists.body.error.expected_version, 'stream_exists');
    assert.equal(exists.body.error.current_version, 0);

    const quoted = await postEvent(s.url, ev[5]!, { ifMatch: '"5"' });
    assert.equal(quoted.status, 201, 'an ETag-quoted version is accepted');
    const any = await postEvent(s.url, ev[6]!, { ifMatch: 'any' });
    assert.equal(any.status, 201);
    const noHeader = await postEvent(s.url, ev[7]!, { ifMatch: null });
    assert.equal(noHeader.status, 201, 'no If-Match: no check');
    const body = await call(`${s.url}/streams/${id}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ expected_version: 8, event: ev[8] }),
    });
    assert.equal(body.status, 201, body.text);
    assert.equal(body.body.stream_version, 9);
    const both = await call(`${s.url}/streams/${id}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'If-Match': '8' }, body: JSON.stringify({ expected_version: 9, event: ev[9] }),
    });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.code, 'INVALID_EXPECTED_VERSION');
  });

  it('duplicates: the same event twice is one record, answered 200 duplicate:true with the position it has', async () => {
    const ev = session(2, 0);
    const first = await postEvent(s.url, ev[0]!);
    assert.equal(first.status, 201);
    const again = await postEvent(s.url, ev[0]!);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.stream_version, 1);
    assert.equal(again.body.global_position, first.body.global_position);
    // A retry after the stream moved on, with the original expectation, is still recognised.
    assert.equal((await postEvent(s.url, ev[1]!)).status, 201);
    const late = await postEvent(s.url, ev[0]!);
    assert.equal(late.status, 200);
    assert.equal(late.body.duplicate, true);
    // A whole batch replayed.
    const batch = session(2, 1);
    assert.equal((await postSession(s.url, batch)).status, 201);
    const replay = await postSession(s.url, batch);
    assert.equal(replay.status, 200);
    assert.equal(replay.body.duplicate, true);
    assert.equal(replay.body.stream_version, batch.length);

    const records = (await call(`${s.url}/streams/${encodeURIComponent(ev[0]!.stream_id)}`)).body.events;
    assert.deepEqual(records.map((r: any) => r.data.event_id), [ev[0]!.event_id, ev[1]!.event_id]);
    const all = await readAll(s.url);
    const ids = all.map((r) => r.data.event_id);
    assert.equal(new Set(ids).size, ids.length, 'no event id stored twice');
  });

  it('an event id already stored in another stream, or half of a stored batch: 409 IDEMPOTENCY_CONFLICT, nothing written', async () => {
    const ev = session(3, 0);
    assert.equal((await postSession(s.url, ev.slice(0, 3))).status, 201);
    const partial = await call(`${s.url}/streams/${encodeURIComponent(ev[0]!.stream_id)}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'If-Match': '2' }, body: JSON.stringify(ev.slice(2, 5)),
    });
    assert.equal(partial.status, 409, partial.text);
    assert.equal(partial.body.error.code, 'IDEMPOTENCY_CONFLICT');
    assert.equal(partial.body.error.current_version, 3);
  });

  it('GET /streams/:id?from=&to=, 404 for an unknown stream; GET /all pages through the global log', async () => {
    const ev = session(0, 1);
    const id = encodeURIComponent(ev[0]!.stream_id);
    const part = await call(`${s.url}/streams/${id}?from=2&to=3`);
    assert.equal(part.status, 200);
    assert.deepEqual(part.body.events.map((r: any) => r.stream_version), [2, 3]);
    assert.deepEqual(part.body.events.map((r: any) => r.data.event_id), [ev[1]!.event_id, ev[2]!.event_id]);
    assert.equal(part.body.stream_version, ev.length);

    const unknown = await call(`${s.url}/streams/nope`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'STREAM_NOT_FOUND');
    assert.equal((await call(`${s.url}/streams/${id}?from=0`)).status, 400);
    assert.equal((await call(`${s.url}/streams/${id}?bogus=1`)).status, 400);

    const all = await readAll(s.url);
    assert.deepEqual(all.map((r) => r.global_position), all.map((_, i) => i + 1));
    const page = await call(`${s.url}/all?from=2&limit=3`);
    assert.deepEqual(page.body.events.map((r: any) => r.global_position), [2, 3, 4]);
    assert.equal(page.body.next_from, 5);
    const end = await call(`${s.url}/all?from=${all.length + 1}`);
    assert.deepEqual(end.body.events, []);
    assert.equal(end.body.next_from, null);
    assert.equal((await call(`${s.url}/all?limit=0`)).status, 400);
    assert.equal((await call(`${s.url}/all?limit=10001`)).status, 400);
  });

  it('bad bodies: 400 (not JSON, no event_type, stream mismatch, empty batch, same id twice), 415, 413', async () => {
    const ev = session(4, 0);
    const url = `${s.url}/streams/${encodeURIComponent(ev[0]!.stream_id)}`;
    const json = { 'Content-Type': 'application/json' };
    const cases: Array<[string, string, Record<string, string>, number, string]> = [
      ['not JSON', '{"event_id":', json, 400, 'MALFORMED_JSON'],
      ['no event_type', JSON.stringify({ event_id: 'x' }), json, 400, 'INVALID_EVENT'],
      ['no event_id', JSON.stringify({ ...ev[0], event_id: undefined }), json, 400, 'INVALID_EVENT'],
      ['a number', '42', json, 400, 'INVALID_EVENT'],
      ['stream mismatch', JSON.stringify({ ...ev[0], stream_id: 'other' }), json, 400, 'STREAM_ID_MISMATCH'],
      ['empty batch', '[]', json, 400, 'BAD_REQUEST'],
      ['same id twice in a batch', JSON.stringify([ev[0], ev[0]]), json, 400, 'INVALID_EVENT'],
      ['unknown envelope field', JSON.stringify({ event: ev[0], expected: 0 }), json, 400, 'BAD_REQUEST'],
      ['bad If-Match', JSON.stringify(ev[0]), { ...json, 'If-Match': '-1' }, 400, 'INVALID_EXPECTED_VERSION'],
      ['bad expected_version', JSON.stringify({ expected_version: 1.5, event: ev[0] }), json, 400, 'INVALID_EXPECTED_VERSION'],
      ['text/plain', JSON.stringify(ev[0]), { 'Content-Type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['too large', JSON.stringify(Array.from({ length: 3000 }, () => ev[0])), json, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [what, body, headers, status, code] of cases) {
      const a = await call(url, { method: 'POST', headers, body, agent: new Agent() });
      assert.equal(a.status, status, `${what}: ${a.text}`);
      assert.equal(a.body.error.code, code, what);
    }
    assert.equal((await call(url)).status, 404, 'nothing was written by the bad requests');
  });

  it('the file holds exactly what /all serves, and reloads into a JsonlEventStore', async () => {
    const all = await readAll(s.url);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines, all);
    const reopened = new JsonlEventStore(file);
    try {
      assert.equal(reopened.globalPosition, all.length);
    } finally {
      reopened.close();
    }
  });

  it('8 concurrent writers on one stream with expected versions: one winner per version, nothing lost or doubled', async () => {
    const streamId = 'race-stream';
    const writers = 8;
    const perWriter = 25;
    // Distinct generated events re-addressed to one stream: each writer's own event ids.
    const queues = Array.from({ length: writers }, (_, w) =>
      createGenerator({ seed: 'race' }).stream(`writer-${w}`).take(perWriter).map((e) => ({ ...e, stream_id: streamId })));
    const acked: Array<{ event_id: string; version: number; position: number }> = [];
    let conflicts = 0;
    await Promise.all(queues.map(async (queue) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      let version = 0;
      try {
        for (const event of queue) {
          for (let attempt = 0; ; attempt++) {
            assert.ok(attempt < 10_000, 'a writer never got through');
            const a = await call(`${s.url}/streams/${streamId}`, {
              method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'If-Match': String(version) }, body: JSON.stringify(event),
            });
            if (a.status === 201) {
              acked.push({ event_id: event.event_id, version: a.body.stream_version, position: a.body.global_position });
              version = a.body.stream_version;
              break;
            }
            assert.equal(a.status, 409, a.text);
            assert.equal(a.body.error.code, 'CONCURRENCY_CONFLICT');
            conflicts++;
            version = a.body.error.current_version;
          }
        }
      } finally {
        agent.destroy();
      }
    }));
    const n = writers * perWriter;
    assert.ok(conflicts >= writers - 1, `writers raced (${conflicts} conflicts)`);
    assert.equal(acked.length, n);
    assert.deepEqual(acked.map((a) => a.version).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i + 1), 'exactly one winner per version');
    const stream = await call(`${s.url}/streams/${streamId}?to=${n + 10}`);
    assert.equal(stream.body.stream_version, n);
    assert.deepEqual(stream.body.events.map((r: any) => r.stream_version), Array.from({ length: n }, (_, i) => i + 1));
    const ids = stream.body.events.map((r: any) => r.data.event_id);
    assert.equal(new Set(ids).size, n, 'each event written once');
    for (const a of acked) assert.equal(ids[a.version - 1], a.event_id, 'each acknowledged event sits at the version it was acknowledged with');
    // Each writer's events keep that writer's order.
    for (const queue of queues) {
      const versions = queue.map((e) => ids.indexOf(e.event_id));
      assert.deepEqual(versions, [...versions].sort((x, y) => x - y));
    }
  });

  it('lists the store routes in /openapi.json', async () => {
    const doc = (await call(`${s.url}/openapi.json`)).body;
    for (const path of ['/streams/{id}', '/all', '/projections/orders', '/projections/orders/{id}']) assert.ok(doc.paths[path], path);
    assert.ok(doc.components.schemas.AppendResult);
    assert.deepEqual(logs.filter((l) => /internal error/.test(l)), []);
  });
});
