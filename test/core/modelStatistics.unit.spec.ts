import assert from 'node:assert/strict';
import { compileModel, createGenerator, defaultModelDefinition, serializeSession, type MarkovModelDefinition } from '../../src/index.js';
import { domainStatistics } from '../../src/core/domain/domainStatistics.js';

// A model is the shop with another chain, so its statistics are the domain statistics of
// compileModel(model): exact when no guard of the shop's events is in the chain, else simulated.

function simulate(seed: string, sessions: number, model?: MarkovModelDefinition) {
  const g = createGenerator({ seed, model });
  const visits: Record<string, number> = {};
  let events = 0;
  for (let k = 0; k < sessions; k++) {
    const s = g.session(0, k);
    events += s.length;
    for (const e of s) visits[e.event_type] = (visits[e.event_type] ?? 0) + 1;
  }
  return { mean: events / sessions, visits, events };
}

const visitsOf = (stats: ReturnType<typeof domainStatistics>, name: string) => stats.eventTypes.find((e) => e.name === name)!;

describe('core: statistics of a model (the shop with its chain)', () => {
  it('the default model is the shop: same sessions, byte for byte, and the same statistics', () => {
    const shop = createGenerator({ seed: 'same' });
    const model = createGenerator({ seed: 'same', model: defaultModelDefinition });
    for (let k = 0; k < 50; k++) assert.equal(serializeSession(model.session(0, k)), serializeSession(shop.session(0, k)));
    const a = domainStatistics(compileModel(defaultModelDefinition), { sessions: 2000 });
    const b = domainStatistics(createGenerator({}).config.domain, { sessions: 2000 });
    assert.equal(a.method, 'simulated');
    assert.deepEqual(a.reasons, ['events.add_to_cart has a guard', 'events.remove_from_cart has a guard', 'events.checkout has a guard', 'events.payment has a guard']);
    assert.deepEqual(a.expectedEventsPerSession, b.expectedEventsPerSession);
  });

  it('match hand-computed values of a tiny chain, exactly (no shop event, no guard)', () => {
    // login -> a (p=1); a -> a (1/2) | logout (1/2): events = 1 + 2 + 1 = 4, visits(a) = 2.
    const model: MarkovModelDefinition = {
      start: 'login', terminal: 'logout',
      states: { login: { transitions: { a: 1 } }, a: { transitions: { a: 1, logout: 1 } }, logout: {} },
    };
    const stats = domainStatistics(compileModel(model));
    assert.equal(stats.method, 'exact');
    assert.ok(Math.abs(stats.uncappedExpectedEventsPerSession! - 4) < 1e-12);
    assert.ok(Math.abs(visitsOf(stats, 'a').expectedVisits.value - 2) < 1e-9);
    assert.ok(Math.abs(visitsOf(stats, 'a').visitProbability.value - 1) < 1e-12);
  });

  it('account for the step cap exactly', () => {
    const model: MarkovModelDefinition = {
      start: 'login', terminal: 'logout', max_steps: 4,
      states: { login: { transitions: { a: 1 } }, a: { transitions: { a: 1, logout: 1 } }, logout: {} },
    };
    const stats = domainStatistics(compileModel(model));
    // events: 1 (login) + 1 (a) + P(second a)=1/2 + 1 (logout) = 3.5; a session has the 4
    // events of the cap when it has a second a (1/2: cut there, or ending there anyway).
    assert.equal(stats.method, 'exact');
    assert.ok(Math.abs(stats.expectedEventsPerSession.value - 3.5) < 1e-12);
    assert.ok(Math.abs(stats.capProbability.value - 0.5) < 1e-12);
    assert.equal(stats.length.max, 4);
    const sim = simulate('cap', 40_000, model);
    assert.ok(Math.abs(sim.mean - 3.5) / 3.5 < 0.02, String(sim.mean));
    const g = createGenerator({ seed: 'cap', model });
    for (let k = 0; k < 200; k++) assert.ok(g.session(0, k).length <= 4);
  });

  it('a chain with the shop\'s guarded events is simulated: another seed\'s sessions fall in its 95% intervals (give or take)', function () {
    this.timeout(60_000);
    const model: MarkovModelDefinition = {
      start: 'login', terminal: 'logout',
      states: {
        login: { transitions: { add_to_cart: 3, checkout: 5, wishlist: 1 } },
        wishlist: { outcomes: { saved: { weight: 1, transitions: { add_to_cart: 1 } }, dropped: { weight: 2, transitions: { logout: 1, checkout: 2 } } } },
        add_to_cart: { transitions: { add_to_cart: 2, checkout: 2, remove_from_cart: 1, logout: 1 } },
        remove_from_cart: { transitions: { checkout: 1, logout: 1 } },
        checkout: { transitions: { payment: 1 } },
        payment: { outcomes: { success: { weight: 3, transitions: { logout: 1 } }, failed: { weight: 1, transitions: { payment: 1, logout: 1 } } } },
        logout: {},
      },
    };
    const stats = domainStatistics(compileModel(model), { sessions: 40_000 });
    assert.equal(stats.method, 'simulated');
    assert.ok(stats.reasons.includes('events.checkout has a guard'), stats.reasons.join('; '));
    // login -> checkout with an empty cart is barred: its weight goes to the others.
    assert.ok(visitsOf(stats, 'checkout').visitProbability.value < 1);
    const sim = simulate('custom', 40_000, model);
    const within = (x: number, e: { value: number; ci95?: readonly [number, number] }, name: string) => {
      const [lo, hi] = e.ci95!;
      const slack = (hi - lo) / 2; // two independent runs: allow one more half-width
      assert.ok(x >= lo - slack && x <= hi + slack, `${name}: ${x} vs ${e.value} [${lo}, ${hi}]`);
    };
    within(sim.mean, stats.expectedEventsPerSession, 'events per session');
    for (const e of stats.eventTypes) within((sim.visits[e.name] ?? 0) / 40_000, e.expectedVisits, e.name);
  });
});
