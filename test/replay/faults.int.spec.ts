import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createGenerator } from '../../src/core/index.js';
import { InMemoryEventStore, MAX_EVENT_BYTES, MAX_EVENT_DEPTH } from '../../src/store/index.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call, postEvent, readAll, tempDir } from './replayKit.js';

const json = { 'Content-Type': 'application/json' };
const [login] = createGenerator({ seed: 'faults' }).session(0, 0);

/** The generated login event with `payload` replaced by a value nested `depth` deep. */
function deepEvent(depth: number): string {
  const text = JSON.stringify({ ...login, payload: '§' });
  return text.replace('"§"', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

for (const kind of ['in memory', 'JSONL'] as const) {
  describe(`replay target faults (${kind} store)`, () => {
    const tmp = tempDir('replay-faults');
    let s: RunningReplaySidecar;
    const logs: string[] = [];
    before(async () => {
      s = await startReplaySidecar({ port: 0, store: kind === 'JSONL' ? join(tmp.dir, 'events.jsonl') : undefined, log: (l) => logs.push(l) });
    });
    after(async () => {
      await s.close(1000);
      tmp.remove();
    });

    it('#3: an event nested 4,100 deep is refused (4xx), and /all and /streams/:id keep answering', async () => {
      const path = `/streams/${encodeURIComponent(login!.stream_id)}`;
      const deep = await call(`${s.url}${path}`, { method: 'POST', headers: json, body: deepEvent(4_100) });
      assert.equal(deep.status, 400, deep.text);
      assert.equal(deep.body.error.code, 'BODY_TOO_DEEP');
      // deeper than the store accepts, shallower than the body limit: the store's own check
      const nested = await call(`${s.url}${path}`, { method: 'POST', headers: json, body: deepEvent(MAX_EVENT_DEPTH) });
      assert.equal(nested.status, 400, nested.text);
      assert.deepEqual(nested.body.error, {
        code: 'INVALID_EVENT',
        message: `data of event 1 nests more than ${MAX_EVENT_DEPTH} levels deep; allowed: at most ${MAX_EVENT_DEPTH}; nothing was written`,
      });
      const big = await call(`${s.url}${path}`, { method: 'POST', headers: json, body: JSON.stringify({ ...login, payload: { pad: 'x'.repeat(MAX_EVENT_BYTES) } }) });
      assert.equal(big.status, 413, big.text);
      assert.equal(big.body.error.code, 'EVENT_TOO_LARGE');
      assert.equal((await postEvent(s.url, login!)).status, 201);
      const all = await readAll(s.url);
      assert.deepEqual(all.map((r) => r.data.event_id), [login!.event_id]);
      assert.equal((await call(`${s.url}${path}`)).status, 200);
    });

    it('#4: deeply nested envelopes, If-Match values and batches never give a 5xx or a stack message', async () => {
      const path = `${s.url}/streams/x`;
      const bodies = [
        '['.repeat(200_000) + ']'.repeat(200_000),
        `{"expected_version":${'['.repeat(40)}1${']'.repeat(40)},"event":{}}`,
        `{"events":${'['.repeat(50)}${']'.repeat(50)}}`,
        `[${'{"x":'.repeat(60)}1${'}'.repeat(60)}]`,
      ];
      for (const body of bodies) {
        const a = await call(path, { method: 'POST', headers: json, body });
        assert.ok(a.status >= 400 && a.status < 500, `${a.status} ${a.text.slice(0, 200)}`);
        assert.doesNotMatch(a.text, /call stack/);
      }
      assert.deepEqual(logs, []);
    });
  });
}

describe('replay target on a full disk (#10)', () => {
  it('answers 503 to every append, with one short stderr line per second and kind, no stack traces', async () => {
    const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const store = new InMemoryEventStore({ persistence: { write: async () => { throw enospc(); }, close: async () => {} } });
    const logs: string[] = [];
    const s = await startReplaySidecar({ port: 0, store, log: (l) => logs.push(l) });
    try {
      const session = createGenerator({ seed: 'full' }).session(0, 1);
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postEvent(s.url, { ...session[0]!, event_id: `id-${i}` }, { ifMatch: null })));
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [503]);
      assert.deepEqual(answers[0]!.body.error, { code: 'STORE_WRITE_FAILED', message: 'the event store could not write (ENOSPC); nothing was acknowledged' });
      assert.ok(logs.length >= 1 && logs.length <= 2, `${logs.length} lines: ${logs.join('\n')}`);
      assert.equal(logs[0], `mockjutsu sidecar: append to stream ${JSON.stringify(session[0]!.stream_id)} failed: ENOSPC: ENOSPC: no space left on device, write`);
      assert.ok(logs.every((l) => !l.includes('\n') && !/\bat /.test(l)), 'no stack trace');
      // a second later, the next failure is logged again with the count of those left out
      await new Promise((r) => setTimeout(r, 1100));
      await postEvent(s.url, { ...session[0]!, event_id: 'later' }, { ifMatch: null });
      assert.match(logs.at(-1)!, /failed: ENOSPC: .* \(\d+ more like it in the last second not shown\)$/);
      assert.equal((await call(`${s.url}/health`)).status, 200);
    } finally {
      await s.close(1000);
    }
  });
});
