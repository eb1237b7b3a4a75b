// Domain statistics: exact from the absorbing chain when the chain alone decides, simulated with
// 95% intervals otherwise; bounded work at the size limits.
import assert from 'node:assert/strict';
import { compileDomain } from '../../../src/core/domain/compileDomain.js';
import { domainStatistics, variableDependence } from '../../../src/core/domain/domainStatistics.js';
import { builtInDomain } from '../../../src/core/domains/index.js';
import { DOMAIN_LIMITS } from '../../../src/core/domain/domainChecks.js';
import { MockjutsuError } from '../../../src/core/index.js';
import { bigDomain } from './bigDomains.js';

// s -> a; a -> a | b | e (1/3 each); b: ok (3/4) -> a | e (1/2 each), ko (1/4) -> b (2/3) | e (1/3).
// Visits: x_a = 1 + x_a/3 + 3 x_b/8, x_b = x_a/3 + x_b/6  =>  x_a = 60/31, x_b = 24/31.
const TINY = compileDomain({
  domain: 'tiny', aggregates: { A: {} },
  chain: {
    start: 's', terminal: 'e', max_steps: 60,
    states: {
      s: { transitions: { a: 1 } },
      a: { transitions: { a: 1, b: 1, e: 1 } },
      b: { outcomes: { ok: { weight: 3, transitions: { a: 1, e: 1 } }, ko: { weight: 1, transitions: { b: 2, e: 1 } } } },
      e: {},
    },
  },
});

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('core: domain statistics', () => {
  it('exact for a chain without guards: the hand-computed visits, outcomes and reach probabilities', () => {
    const s = domainStatistics(TINY);
    assert.equal(s.method, 'exact');
    assert.deepEqual(s.reasons, []);
    const by = Object.fromEntries(s.eventTypes.map((e) => [e.name, e]));
    close(s.uncappedExpectedEventsPerSession!, 2 + 84 / 31, 1e-12, 'uncapped events');
    close(s.expectedEventsPerSession.value, 2 + 84 / 31, 1e-9, 'capped events (cap at 60 barely matters)');
    close(by.a!.expectedVisits.value, 60 / 31, 1e-9, 'visits a');
    close(by.b!.expectedVisits.value, 24 / 31, 1e-9, 'visits b');
    close(by.b!.outcomes!.ok!, 18 / 31, 1e-9, 'b ok');
    close(by.b!.outcomes!.ko!, 6 / 31, 1e-9, 'b ko');
    close(by.a!.visitProbability.value, 1, 1e-12, 'reach a');
    // P(reach b) = P(a's walk leaves through b before e) = 1/2.
    close(by.b!.visitProbability.value, 0.5, 1e-12, 'reach b');
    assert.equal(by.a!.expectedVisits.ci95, undefined);
    assert.ok(s.capProbability.value > 0 && s.capProbability.value < 1e-10);
    assert.equal(s.length.p50, 4);
  });

  it('the max_steps cap: a chain that never ends by itself within 5 steps is cut at 5', () => {
    const d = compileDomain({ domain: 'long', aggregates: { A: {} }, chain: { start: 's', terminal: 'e', max_steps: 5, states: { s: { transitions: { a: 1 } }, a: { transitions: { a: 99, e: 1 } }, e: {} } } });
    const s = domainStatistics(d);
    assert.equal(s.method, 'exact');
    // Events: s, a (steps 2..4 alive with prob 1, .99, .99^2), then e.
    close(s.expectedEventsPerSession.value, 1 + 1 + 0.99 + 0.99 ** 2 + 1, 1e-12, 'capped events');
    close(s.capProbability.value, 0.99 ** 2, 1e-12, 'P(5 events)');
    close(s.uncappedExpectedEventsPerSession!, 102, 1e-9, 'uncapped');
    assert.equal(s.length.max, 5);
  });

  it('simulated figures hold the exact ones within their intervals (4 seeds)', () => {
    const exact = domainStatistics(TINY);
    for (const seed of ['a', 'b', 'c', 'd']) {
      const sim = domainStatistics(TINY, { method: 'simulated', sessions: 20_000, seed });
      assert.equal(sim.method, 'simulated');
      assert.equal(sim.sessions, 20_000);
      const [lo, hi] = sim.expectedEventsPerSession.ci95!;
      const half = (hi - lo) / 2;
      assert.ok(half > 0.005 && half < 0.1, `half-width ${half}`);
      // 1.5 half-widths: a 95% interval misses now and then; 3 standard errors does not.
      close(sim.expectedEventsPerSession.value, exact.expectedEventsPerSession.value, 1.5 * half, `events, seed ${seed}`);
      sim.eventTypes.forEach((e, i) => {
        const x = exact.eventTypes[i]!;
        const h = (e.expectedVisits.ci95![1] - e.expectedVisits.ci95![0]) / 2;
        close(e.expectedVisits.value, x.expectedVisits.value, Math.max(1.5 * h, 1e-12), `${e.name} visits, seed ${seed}`);
        const hp = (e.visitProbability.ci95![1] - e.visitProbability.ci95![0]) / 2;
        close(e.visitProbability.value, x.visitProbability.value, Math.max(1.5 * hp, 1e-4), `${e.name} reach, seed ${seed}`);
      });
    }
  });

  it('guards make it simulated, naming them; the same seed gives the same figures', () => {
    const shop = builtInDomain('shop');
    assert.deepEqual(variableDependence(shop), ['events.add_to_cart has a guard', 'events.remove_from_cart has a guard', 'events.checkout has a guard', 'events.payment has a guard']);
    const a = domainStatistics(shop, { sessions: 3000, seed: 5 });
    assert.equal(a.method, 'simulated');
    assert.deepEqual(a, domainStatistics(shop, { sessions: 3000, seed: 5 }));
    assert.throws(() => domainStatistics(shop, { method: 'exact' }), (e: unknown) => e instanceof MockjutsuError && /exact statistics are not available: events\.add_to_cart has a guard/.test(e.message));
    const by = Object.fromEntries(a.eventTypes.map((e) => [e.name, e]));
    // Checkout needs a cart: never more checkouts than sessions that added something.
    assert.ok(by.checkout!.visitProbability.value <= by.add_to_cart!.visitProbability.value);
    assert.equal(by.login!.expectedVisits.value, 1);
  });

  it('instance rules that depend on the session make it simulated too', () => {
    const d = compileDomain({
      domain: 'two', aggregates: { A: {}, B: { id: 'session' } },
      chain: { start: 's', terminal: 'e', states: { s: { transitions: { mk: 1, use: 1 } }, mk: { transitions: { use: 1, e: 1 } }, use: { transitions: { e: 1 } }, e: {} } },
      events: { mk: { aggregate: 'B', instance: 'new' }, use: { aggregate: 'B' } },
    });
    assert.deepEqual(variableDependence(d), ['events.mk creates a B (one per session: id session)', 'events.use needs an instance of B, which a session may not have yet']);
  });

  it('at the state limit: validation and statistics complete (exact or simulated within budget); over it, a clear error', function () {
    this.timeout(60_000);
    const sparse = domainStatistics(compileDomain(bigDomain(DOMAIN_LIMITS.states, 0)));
    assert.equal(sparse.method, 'exact', sparse.reasons.join('; '));
    assert.equal(sparse.states, DOMAIN_LIMITS.states);
    const dense = compileDomain(bigDomain(DOMAIN_LIMITS.states, 20));
    const s = domainStatistics(dense);
    assert.equal(s.method, 'simulated');
    assert.match(s.reasons[0]!, /cycles are too large to solve exactly/);
    assert.ok(s.sessions! >= 1);
    const long = domainStatistics(compileDomain(bigDomain(DOMAIN_LIMITS.states, 20, 100_000)), { maxEvents: 200_000 });
    assert.equal(long.method, 'simulated');
    assert.throws(() => compileDomain(bigDomain(DOMAIN_LIMITS.states + 1, 0)), (e: unknown) => e instanceof MockjutsuError && e.message === `domain.chain.states: ${DOMAIN_LIMITS.states + 1} states; allowed: at most ${DOMAIN_LIMITS.states}`);
  });
});
