import assert from 'node:assert/strict';
import { createGenerator } from '../../../src/index.js';
import type { DomainDefinition } from '../../../src/core/domain/domainDefinition.js';
import { bankDomain } from '../../../src/core/domains/bankDomain.js';
import { EnvelopeTracker, type AnyEvent } from './domainInvariants.js';
import { assertBankSession } from './bankInvariants.js';

/** A small door-sensor domain whose system names the envelope fields its own way. */
const doors: DomainDefinition = {
  domain: 'doors',
  envelope: { fields: { event_type: 'eventType', stream_id: 'streamId', stream_version: 'version', timestamp: 'occurredAt', schema_version: false, global_position: false } },
  aggregates: { Door: { stream_id: 'door/{id}', id: 'uuid', state: { open: false, openings: 0 } } },
  chain: {
    start: 'installed', terminal: 'removed', max_steps: 30,
    states: {
      installed: { transitions: { opened: 1 } },
      opened: { think_time: { median_ms: 2000, sigma: 0.5 }, transitions: { closed: 1 } },
      closed: { think_time: { median_ms: 60000, sigma: 1 }, transitions: { opened: 4, removed: 1 } },
      removed: {},
    },
  },
  events: {
    installed: { instance: 'new', payload: { schema: { type: 'object', properties: { floor: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['floor'] } } },
    opened: { guard: '!self.open', payload: { fields: { openings: 'self.openings + 1' } }, effects: ['self.open = true', 'self.openings = payload.openings'] },
    closed: { guard: 'self.open', effects: ['self.open = false'] },
    removed: { payload: { fields: { openings: 'self.openings' } } },
  },
};

const RENAMED = ['event_id', 'eventType', 'streamId', 'aggregate_type', 'aggregate_id', 'version', 'correlation_id', 'causation_id', 'session_id', 'user_id', 'occurredAt', 'payload'];
const BACK: Record<string, string> = { eventType: 'event_type', streamId: 'stream_id', version: 'stream_version', occurredAt: 'timestamp' };

describe('domain envelope renames (eventType, streamId, version, occurredAt)', () => {
  it('events carry the renamed fields in contract order, with the same values as the default envelope', () => {
    const { envelope: _, ...plain } = doors;
    const renamed = createGenerator({ domain: doors, seed: 'env' });
    const reference = createGenerator({ domain: plain as DomainDefinition, seed: 'env' });
    let openings = 0;
    for (let k = 0; k < 2000; k++) {
      const s = renamed.session('p', k) as unknown as AnyEvent[];
      const r = reference.session('p', k) as unknown as AnyEvent[];
      assert.equal(s.length, r.length);
      s.forEach((e, i) => {
        assert.deepEqual(Object.keys(e), RENAMED);
        const { global_position: _g, schema_version: _s, ...expected } = r[i]!;
        assert.deepEqual(Object.fromEntries(Object.entries(e).map(([key, v]) => [BACK[key] ?? key, v])), expected);
        assert.equal(e.version, i + 1, 'one door per session: versions 1..n');
        assert.equal(e.streamId, `door/${e.aggregate_id}`);
        if (i > 0) assert.ok(Date.parse(e.occurredAt) > Date.parse(s[i - 1]!.occurredAt));
        if (e.eventType === 'opened') assert.notEqual(s[i - 1]!.eventType, 'opened', 'a door opens only when closed (guard !self.open)');
        if (e.eventType === 'closed') assert.equal(s[i - 1]!.eventType, 'opened', 'a door closes only when open (guard self.open)');
      });
      openings += s.filter((e) => e.eventType === 'opened').length;
      assert.equal(s[s.length - 1]!.payload.openings, s.filter((e) => e.eventType === 'opened').length);
      const text = JSON.stringify(s);
      assert.ok(text.includes('"eventType":"installed"') && !text.includes('"event_type"') && !text.includes('"schema_version"'));
    }
    assert.ok(openings > 4000, `openings: ${openings}`);
  });

  it('the same seed gives the same bytes', () => {
    const a = createGenerator({ domain: doors, seed: 3 });
    const b = createGenerator({ domain: doors, seed: 3 });
    for (let k = 0; k < 100; k++) assert.equal(JSON.stringify(a.session('x', k)), JSON.stringify(b.session('x', k)));
  });
});

describe('bank under a tight step cap', () => {
  it('never splits a transfer: the cap ends sessions, but only between whole transfers', () => {
    // max_steps 8: a transfer_sent may start at step <= 5 (the guard's last_transfer_step), so
    // its transfer_received (step <= 6) still comes before the capped session_ended (step 8).
    const tight: DomainDefinition = { ...bankDomain, params: { ...bankDomain.params, last_transfer_step: 5 }, chain: { ...bankDomain.chain, max_steps: 8 } };
    const g = createGenerator({ domain: tight, seed: 'cap' });
    const tracker = new EnvelopeTracker('session_started', 'session_ended');
    let capped = 0;
    let transfers = 0;
    for (let k = 0; k < 3000; k++) {
      const s = g.session(0, k) as unknown as AnyEvent[];
      tracker.check(s);
      assert.ok(s.length <= 8);
      transfers += assertBankSession(s).transfers;
      if (s[s.length - 1]!.payload.reason === 'max_steps') capped++;
    }
    assert.ok(capped > 200 && transfers > 200, `capped ${capped}, transfers ${transfers}`);
  });
});
