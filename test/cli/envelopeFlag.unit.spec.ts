import assert from 'node:assert/strict';
import { eventStream, jutsu } from '../../src/core/index.js';
import { cliInProcess } from './inProcessCli.js';

// --envelope on the CLI: every event of every type in a CloudEvents 1.0 or EventBridge envelope,
// the native event kept whole inside it.
describe('CLI --envelope (unit, in process)', function () {
  this.timeout(60_000);
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('generate --envelope cloudevents: the session, each event as the data of a CloudEvent', async () => {
    const r = await cliInProcess('generate', 'event_stream', '--seed', '8', '--envelope', 'cloudevents');
    assert.equal(r.code, 0, r.err);
    const wrapped = JSON.parse(r.out) as Array<Record<string, unknown>>;
    const session = jutsu.generate('event_stream', { seed: 8 });
    assert.deepEqual(wrapped.map((w) => w['data']), session);
    for (const [i, w] of wrapped.entries()) {
      assert.equal(w['specversion'], '1.0');
      assert.match(w['id'] as string, UUID);
      assert.equal(w['type'], `com.mockjutsu.${session[i]!.event_type}`);
      assert.equal(w['source'], '/mockjutsu/ShoppingSession');
      assert.equal(w['subject'], session[i]!.stream_id);
      assert.equal(w['time'], session[i]!.timestamp);
      assert.equal(w['datacontenttype'], 'application/json');
    }
    assert.equal(new Set(wrapped.map((w) => w['id'])).size, wrapped.length);
  });

  it('export --envelope eventbridge (ndjson): one EventBridge event per line, the event in detail, same every run', async () => {
    const args = ['export', 'event_stream', '--seed', '8', '--count', '20', '--envelope', 'eventbridge'];
    const r = await cliInProcess(...args);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l['detail']), [...eventStream({ seed: 8, sessions: 20 })]);
    for (const l of lines) {
      assert.deepEqual(Object.keys(l), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.equal(l['version'], '0');
      assert.match(l['account'] as string, /^\d{12}$/);
      assert.match(l['time'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(l['detail-type'], (l['detail'] as { event_type: string }).event_type);
    }
    assert.equal(new Set(lines.map((l) => l['id'])).size, lines.length);
    assert.equal((await cliInProcess(...args)).out, r.out);
  });

  it('wraps other types item by item, and refuses csv/sql and unknown kinds', async () => {
    const r = await cliInProcess('export', 'cdc_event', '--seed', '8', '--count', '5', '--envelope', 'cloudevents', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const items = JSON.parse(r.out) as Array<Record<string, unknown>>;
    assert.deepEqual(items.map((i) => i['data']), jutsu.bulk('cdc_event', { seed: 8, count: 5 }));
    assert.equal(items[0]!['type'], 'com.mockjutsu.cdc-event'); // CloudEvents type: letters, digits, dots and dashes
    const csv = await cliInProcess('export', 'event_stream', '--count', '1', '--format', 'csv', '--envelope', 'cloudevents');
    assert.equal(csv.code, 2);
    assert.match(csv.err, /--envelope cloudevents applies to --format json and ndjson/);
    const bad = await cliInProcess('generate', 'user', '--envelope', 'kafka');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--envelope is "kafka"; allowed: none, cloudevents, eventbridge/);
  });
});
