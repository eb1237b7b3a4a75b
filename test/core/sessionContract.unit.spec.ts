import assert from 'node:assert/strict';
import { createGenerator, jutsu, serializeEvent, serializeSession, eventStream, createSessionStream } from '../../src/index.js';
import { assertSessionContract } from './contractInvariants.js';

describe('core: event contract invariants', () => {
  it('hold over 12,000 sessions of 24 seeds, with unique event ids', () => {
    const ids = new Set<string>();
    let sessions = 0;
    let checkouts = 0;
    let failed = 0;
    for (let s = 0; s < 24; s++) {
      const g = createGenerator({ seed: `seed-${s}`, users: 50 });
      for (let k = 0; k < 500; k++) {
        const session = g.session(s % 3, k);
        assertSessionContract(session, ids);
        sessions++;
        checkouts += session.filter((e) => e.event_type === 'checkout').length;
        failed += session.filter((e) => e.event_type === 'payment' && (e.payload as any).status === 'failed').length;
      }
    }
    assert.equal(sessions, 12_000);
    // The invariants above would be vacuous without checkouts and failed payments.
    assert.ok(checkouts > 3000, `checkouts: ${checkouts}`);
    assert.ok(failed > 300, `failed payments: ${failed}`);
  });

  it('serializes every event exactly like JSON.stringify', () => {
    const g = createGenerator({ seed: 'serializer' });
    for (let k = 0; k < 2000; k++) {
      const session = g.session(0, k);
      assert.equal(serializeSession(session), JSON.stringify(session));
      for (const e of session) assert.equal(serializeEvent(e), JSON.stringify(e));
    }
  });

  it('serializes custom-model payloads and non-ASCII through JSON.stringify semantics', () => {
    const model = { start: 'login', terminal: 'logout', states: { login: { transitions: { 'visite-café': 1 } }, 'visite-café': { outcomes: { ok: { weight: 1, transitions: { logout: 1 } } } }, logout: {} } };
    assert.throws(() => jutsu.generate('event_stream', { seed: 1, model }), /state name "visite-café" is not allowed/);
    // A state the shop's domain has no event for gets a payload only from its outcome, and
    // only when it has a choice of outcomes (since 0.3.0; a single outcome is no information).
    const ascii = { ...model, states: { login: { transitions: { visit: 1 } }, visit: { outcomes: { ok: { weight: 1, transitions: { logout: 1 } } } }, logout: {} } };
    const s = jutsu.generate('event_stream', { seed: 1, model: ascii });
    assert.deepEqual(s.map((e) => e.event_type), ['login', 'visit', 'logout']);
    assert.deepEqual(s[1]!.payload, {});
    assert.equal(serializeSession(s), JSON.stringify(s));
    const twoWays = { ...model, states: { login: { transitions: { visit: 1 } }, visit: { outcomes: { ok: { weight: 1, transitions: { logout: 1 } }, 'not-ok': { weight: 1, transitions: { logout: 1 } } } }, logout: {} } };
    const outcomes = new Set<unknown>();
    for (let k = 0; k < 40; k++) {
      const t = jutsu.generate('event_stream', { seed: 1, session: k, model: twoWays });
      assert.deepEqual(Object.keys(t[1]!.payload), ['outcome']);
      outcomes.add((t[1]!.payload as { outcome: unknown }).outcome);
      assert.equal(serializeSession(t), JSON.stringify(t));
    }
    assert.deepEqual([...outcomes].sort(), ['not-ok', 'ok']);
  });

  it('returning users keep their id and profile across sessions', () => {
    const g = createGenerator({ seed: 'users', users: 3 });
    const byUser = new Map<string, string>();
    for (let k = 0; k < 60; k++) {
      const s = g.session(0, k);
      const login = s[0]!.payload as any;
      const prev = byUser.get(s[0]!.user_id);
      if (prev !== undefined) assert.equal(prev, login.user_agent);
      byUser.set(s[0]!.user_id, login.user_agent);
    }
    assert.equal(byUser.size, 3, 'a pool of 3 users gives exactly 3 user ids');
  });
});

describe('core: determinism', () => {
  it('same seed gives the same bytes; another seed does not', () => {
    const a = serializeSession(jutsu.bulk('event_stream', { seed: 99, count: 20 }).flat());
    const b = serializeSession(jutsu.bulk('event_stream', { seed: '99', count: 20 }).flat());
    const c = serializeSession(jutsu.bulk('event_stream', { seed: 100, count: 20 }).flat());
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('bulk, eventStream and createSessionStream agree', () => {
    const bulk = jutsu.bulk('event_stream', { seed: 'agree', count: 30 }).flat();
    const streamed = [...eventStream({ seed: 'agree', sessions: 30 })];
    const stream = createSessionStream({ seed: 'agree' });
    const pulled = stream.take(bulk.length);
    assert.equal(JSON.stringify(streamed), JSON.stringify(bulk));
    assert.equal(JSON.stringify(pulled), JSON.stringify(bulk));
    assert.deepEqual(bulk.map((e) => e.global_position), bulk.map((_, i) => i + 1));
  });

  it('a stream resumed from getState() continues byte for byte', () => {
    const g = createGenerator({ seed: 'resume' });
    const a = g.stream('vu-7');
    a.take(123);
    const state = a.getState();
    const rest = a.take(200);
    const b = g.stream('vu-7', state);
    assert.equal(JSON.stringify(b.take(200)), JSON.stringify(rest));
  });

  it('nextSession() mid-session returns the rest, so no event is skipped', () => {
    const s = createSessionStream({ seed: 'mid' });
    const e1 = s.next();
    const rest = s.nextSession();
    assert.equal(rest[0]!.global_position, e1.global_position + 1);
    assert.equal(rest[rest.length - 1]!.event_type, 'logout');
    const next = s.nextSession();
    assert.equal(next[0]!.event_type, 'login');
    assert.equal(next[0]!.global_position, rest[rest.length - 1]!.global_position + 1);
  });

  it('the user cache size changes memory, never the output', () => {
    const a = jutsu.bulk('event_stream', { seed: 'cache', users: 500, count: 200 });
    const b = jutsu.bulk('event_stream', { seed: 'cache', users: 500, count: 200, userCacheSize: 0 });
    const c = jutsu.bulk('event_stream', { seed: 'cache', users: 500, count: 200, userCacheSize: 3 });
    assert.equal(JSON.stringify(b), JSON.stringify(a));
    assert.equal(JSON.stringify(c), JSON.stringify(a));
  });

  it('start "now" follows the clock; the default start is fixed', () => {
    const before = Date.now();
    const s = jutsu.generate('event_stream', { seed: 1, start: 'now', sessionIntervalMs: 1 });
    assert.ok(Date.parse(s[0]!.timestamp) >= before);
    assert.equal(jutsu.generate('event_stream', { seed: 1 })[0]!.timestamp.slice(0, 10), '2025-01-01');
  });
});
