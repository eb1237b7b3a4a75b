import assert from 'node:assert/strict';
import { jutsu, MockjutsuError, createSessionStream, eventStream, sessionIterator, wrapSessionEvent } from '../../src/index.js';

function code(fn: () => unknown, expected: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MockjutsuError && e.code === expected && pattern.test(e.message));
}

describe('library API: jutsu', () => {
  it('generate returns one session; bulk returns count sessions with consecutive positions', () => {
    const one = jutsu.generate('event_stream', { seed: 5 });
    assert.equal(one[0]!.event_type, 'login');
    const many = jutsu.bulk('event_stream', { seed: 5, count: 10 });
    assert.equal(many.length, 10);
    assert.equal(JSON.stringify(many[0]), JSON.stringify(one));
    assert.equal(many[1]![0]!.global_position, many[0]!.length + 1);
  });

  it('template returns count records with one field per type', () => {
    const recs = jutsu.template(['event_stream', 'user'], { seed: 5, count: 3 });
    assert.equal(recs.length, 3);
    assert.deepEqual(Object.keys(recs[0]!), ['event_stream', 'user']);
    assert.match((recs[2]!.user as any).email, /@/);
    assert.deepEqual(jutsu.types(), ['event_stream', 'user', 'cdc_event']);
  });

  it('eventStream and sessionIterator report the seed they used and stop where told', () => {
    const it = eventStream({ events: 25 });
    assert.match(it.seed, /^\d+$/);
    assert.equal([...it].length, 25);
    const sessions = [...sessionIterator({ seed: it.seed, sessions: 4 })];
    assert.equal(sessions.length, 4);
    assert.equal(JSON.stringify([...eventStream({ seed: it.seed, sessions: 4 })]), JSON.stringify(sessions.flat()));
  });

  it('envelope wraps every event of a session (and every item of other types) as the CLI and the sidecar do', () => {
    const session = jutsu.generate('event_stream', { seed: 9, partition: 'p' });
    const wrapped = jutsu.generate('event_stream', { seed: 9, partition: 'p', envelope: 'cloudevents' }) as Array<{ data: unknown; specversion: string }>;
    assert.deepEqual(wrapped, session.map((e) => wrapSessionEvent(e, 'cloudevents', '9', 'p')));
    assert.deepEqual(wrapped.map((w) => w.data), session);
    const bulk = jutsu.bulk('user', { seed: 9, count: 3, envelope: 'eventbridge' }) as Array<{ detail: unknown; version: string }>;
    assert.deepEqual(bulk.map((b) => b.detail), jutsu.bulk('user', { seed: 9, count: 3 }));
    assert.ok(bulk.every((b) => b.version === '0'));
    const records = jutsu.template(['event_stream', 'user'], { seed: 9, count: 2, envelope: 'cloudevents' });
    assert.deepEqual((records[0]!['user'] as { data: unknown }).data, jutsu.bulk('user', { seed: 9, count: 1 })[0]);
    code(() => jutsu.generate('user', { envelope: 'kafka' as never }), 'INVALID_OPTION', /envelope is "kafka"; allowed: none, cloudevents, eventbridge/);
    // Without a seed, one random seed serves every column of a template and its envelopes.
    const unseeded = jutsu.template(['event_stream', 'user'], { count: 2, envelope: 'eventbridge' });
    const account = (unseeded[0]!['user'] as { account: string }).account;
    assert.ok(unseeded.every((r) => (r['event_stream'] as Array<{ account: string }>).every((e) => e.account === account) && (r['user'] as { account: string }).account === account));
  });

  it('bad input throws MockjutsuError naming the value and what is allowed', () => {
    code(() => jutsu.generate('event_strem'), 'UNKNOWN_TYPE', /unknown type "event_strem"; known types: event_stream, user, cdc_event/);
    code(() => jutsu.bulk('event_stream', { count: 0 }), 'INVALID_COUNT', /count is 0; allowed: an integer from 1 to 1000000/);
    code(() => jutsu.bulk('event_stream', { count: 2.5 }), 'INVALID_COUNT', /count is 2.5/);
    code(() => jutsu.generate('event_stream', { seed: 1.5 }), 'INVALID_SEED', /seed is 1.5; allowed: a safe integer or a non-empty string/);
    code(() => jutsu.generate('event_stream', { seed: '' }), 'INVALID_SEED', /seed is ""/);
    code(() => jutsu.generate('event_stream', { users: 0 }), 'INVALID_OPTION', /users is 0; allowed: an integer from 1 to 10000000/);
    code(() => jutsu.generate('event_stream', { start: 'yesterday' }), 'INVALID_OPTION', /start is "yesterday"; allowed: "now", an ISO-8601 instant/);
    // Timestamps must stay ISO-8601 with a 4-digit year: no session may run past 9999-12-31.
    code(() => jutsu.generate('event_stream', { start: '9999-06-01T00:00:00Z' }), 'INVALID_OPTION', /start is "9999-06-01T00:00:00Z"; allowed: .* from 1970 to 9998-12-31/);
    code(() => jutsu.generate('event_stream', { seed: 1, session: 9_000_000_000 }), 'INVALID_OPTION', /session 9000000000 would start at \d+ ms, after 9998-12-31 .* at most 139797262 here/);
    assert.equal(jutsu.generate('event_stream', { seed: 1, session: 139_797_262 })[0]!.event_type, 'login');
    code(() => jutsu.generate('event_stream', { colour: 'red' } as any), 'INVALID_OPTION', /unknown option "colour"; allowed: seed, domain, params, model, users/);
    code(() => createSessionStream({ partition: {} as any }), 'INVALID_OPTION', /partition is an object/);
    code(() => jutsu.template([], { count: 1 }), 'INVALID_OPTION', /expected a non-empty array of type names/);
  });
});
