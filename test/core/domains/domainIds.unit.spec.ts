// Two domains' sessions of one (seed, partition, k) must not share ids: a load test that replays
// the shop and the bank into one event store would otherwise see colliding session and event ids.
import assert from 'node:assert/strict';
import { createGenerator, BUILT_IN_DOMAINS, type DomainDefinition } from '../../../src/core/index.js';
import { builtInDomain } from '../../../src/core/domains/index.js';

type Ev = Record<string, unknown>;

function sessions(domain: string | DomainDefinition, partition: string, n: number): Ev[][] {
  const st = createGenerator({ seed: 42, domain }).stream(partition);
  return Array.from({ length: n }, () => st.nextSession() as unknown as Ev[]);
}

describe('core: domain ids (seed, partition, domain)', () => {
  it('shop, bank and hotel sessions of the same seed, partition and index share no session id and no event id', () => {
    for (const partition of ['0', '1', 'vu-7']) {
      const byDomain = Object.keys(BUILT_IN_DOMAINS).map((d) => sessions(d, partition, 20));
      assert.deepEqual(Object.keys(BUILT_IN_DOMAINS), ['shop', 'bank', 'hotel']);
      const sessionIds = byDomain.map((ss) => new Set(ss.map((s) => s[0]!.session_id)));
      const eventIds = byDomain.map((ss) => new Set(ss.flat().map((e) => e.event_id)));
      for (const s of sessionIds) assert.equal(s.size, 20);
      for (let a = 0; a < byDomain.length; a++) {
        for (let b = a + 1; b < byDomain.length; b++) {
          assert.deepEqual([...sessionIds[a]!].filter((id) => sessionIds[b]!.has(id)), [], `${partition}: session ids of domains ${a} and ${b}`);
          assert.deepEqual([...eventIds[a]!].filter((id) => eventIds[b]!.has(id)), [], `${partition}: event ids of domains ${a} and ${b}`);
        }
      }
    }
  });

  it('the name decides: the bank under another name draws other ids, a definition named shop keeps the shop\'s bytes', () => {
    const bank = builtInDomain('bank').definition;
    const renamed = { ...bank, domain: 'bank2' } as DomainDefinition;
    assert.notEqual(sessions(renamed, '3', 1)[0]![0]!.session_id, sessions('bank', '3', 1)[0]![0]!.session_id);
    assert.equal(JSON.stringify(sessions({ ...bank } as DomainDefinition, '3', 5)), JSON.stringify(sessions('bank', '3', 5)));
    const shop = builtInDomain('shop').definition;
    assert.equal(JSON.stringify(sessions({ ...shop } as DomainDefinition, 'vu-1', 5)), JSON.stringify(sessions('shop', 'vu-1', 5)));
  });
});
