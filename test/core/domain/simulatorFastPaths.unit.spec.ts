import assert from 'node:assert/strict';
import { parse } from 'acorn';
import { compileDomain } from '../../../src/core/domain/compileDomain.js';
import { DomainSimulator } from '../../../src/core/domain/domainSimulator.js';
import { assertSameSessions, sessionsText } from './sessionTexts.js';
import type { DomainDefinition } from '../../../src/core/domain/domainDefinition.js';
import { EXPRESSION_BUILTINS } from '../../../src/core/domain/expression/builtins.js';
import { BUILTIN_SIGNATURES, DRAWING_BUILTINS } from '../../../src/core/domain/expression/builtinSignatures.js';
import { resolveGeneratorConfig } from '../../../src/core/generatorOptions.js';
import { shopDomain } from '../../../src/core/domains/shopDomain.js';

// The simulator's fast paths (next state by plan, shared guards, hoisted literal lists, fields
// drawn alone, payloads as one literal) must give the bytes of the general paths they replace.

/** The same simulator with every next state drawn by the general path (no plans). */
function withoutPlans(sim: DomainSimulator): DomainSimulator {
  const s = sim as unknown as { plans: Array<Array<{ simple: boolean }>> };
  s.plans = s.plans.map((outcomes) => outcomes.map((plan) => ({ ...plan, simple: false })));
  return sim;
}

/** The same simulator without the program's guard masks (a program generated before them). */
function withoutMasks(sim: DomainSimulator): DomainSimulator {
  const s = sim as unknown as { plans: Array<Array<{ maskOf: unknown }>> };
  s.plans = s.plans.map((outcomes) => outcomes.map((plan) => ({ ...plan, maskOf: null })));
  return sim;
}

/** Two aggregates, guards that draw, guards shared by two events, several instances. */
const guarded: DomainDefinition = {
  domain: 'guarded',
  aggregates: { Account: { stream_id: 'Account-{id}', state: { balance: 0 }, max_instances: 3 }, Audit: { id: 'session' } },
  session: { n: 0 },
  chain: {
    start: 'opened', terminal: 'closed', max_steps: 30,
    states: {
      opened: { transitions: { deposited: 4, withdrawn: 2, lucky: 1, checked: 1, another: 1 } },
      another: { transitions: { deposited: 3, withdrawn: 3, closed: 1 } },
      deposited: { transitions: { deposited: 2, withdrawn: 3, lucky: 1, checked: 2, closed: 1 } },
      withdrawn: { transitions: { deposited: 3, withdrawn: 2, lucky: 2, checked: 1, closed: 1 } },
      lucky: { transitions: { deposited: 2, withdrawn: 2, checked: 1, closed: 1 } },
      checked: { transitions: { deposited: 2, withdrawn: 1, lucky: 1, closed: 1 } },
      closed: {},
    },
  },
  events: {
    opened: { instance: 'new', effects: ['self.balance = int(0, 50)'] },
    another: { instance: 'new', effects: ['self.balance = int(0, 50)'] },
    deposited: { let: { a: 'int(1, 100)' }, payload: { fields: { amount: 'a' } }, effects: ['self.balance = self.balance + a', 'n = n + 1'] },
    withdrawn: { guard: 'self.balance > 10', let: { a: 'int(1, 10)' }, payload: { fields: { amount: 'a' } }, effects: ['self.balance = self.balance - a'] },
    // a guard that draws, on an aggregate with one instance (see the report: a drawing guard over several instances is asked twice)
    lucky: { aggregate: 'Audit', guard: 'step % 2 == 0 && n > 0', payload: { fields: { at: 'step' } } },
    checked: { aggregate: 'Audit', instance: 'new', guard: 'n > 1', payload: { fields: { n: 'n' } } },
    closed: { payload: { fields: { reason: "pick(['a', 'b'])" } } },
  },
};

describe('domain simulator fast paths (unit)', () => {
  it('DRAWING_BUILTINS are exactly the builtins that read the session PRNG or the catalog', () => {
    const drawing = Object.keys(BUILTIN_SIGNATURES).filter((n) => /\bx\.(r|product)\b/.test(String((EXPRESSION_BUILTINS as Record<string, unknown>)[n])));
    assert.deepEqual(drawing.sort(), [...DRAWING_BUILTINS].sort());
    assert.deepEqual(drawing.sort(), ['chance', 'fake', 'int', 'lognormal', 'pick', 'pick_weighted', 'product', 'random', 'uuid']);
  });

  it('the shop: next state by plan gives the bytes of the general path', () => {
    const config = resolveGeneratorConfig({ seed: 'fast-paths' });
    const fast = sessionsText(new DomainSimulator(config), 400);
    const general = sessionsText(withoutPlans(new DomainSimulator(config)), 400);
    assertSameSessions(fast, general);
    assert.ok(fast.includes('"event_type":"checkout"') && fast.includes('"status":"failed"'));
  });

  it('guards that draw, shared guards, several instances and aggregates: the same bytes as the general path', () => {
    const config = resolveGeneratorConfig({ seed: 'fast-paths', domain: guarded });
    const fast = sessionsText(new DomainSimulator(config), 600);
    const general = sessionsText(withoutPlans(new DomainSimulator(config)), 600);
    assertSameSessions(fast, general);
    // every event type happens, and a session may hold two accounts (the general path's case)
    for (const t of ['opened', 'another', 'deposited', 'withdrawn', 'lucky', 'checked', 'closed']) assert.ok(fast.includes(`"event_type":"${t}"`), t);
    assert.match(fast, /"aggregate_id":"[0-9a-f-]{36}"[^\n]*"event_type":"another"/);
  });

  it("the program's guard masks give the bytes of the guards asked one by one", () => {
    for (const domain of [shopDomain, guarded]) {
      const config = resolveGeneratorConfig({ seed: 'masks', domain });
      assertSameSessions(sessionsText(new DomainSimulator(config), 300), sessionsText(withoutMasks(new DomainSimulator(config)), 300));
    }
    const src = compileDomain(shopDomain).programSource;
    // page_view's outcome: add_to_cart's guard, then remove_from_cart's, whose bit checkout copies
    assert.match(src, /mask:\[\[null\],\[function\(S,I,W\)\{var m=0;W\[0\]=3;if\(!\(\(\$b\.len\(\$x, S\.s\["cart"\]\) < P\.max_cart_lines\)\)\)m\|=1;W\[0\]=4;if\(!\(\(\$b\.len\(\$x, S\.s\["cart"\]\) > 0\)\)\)m\|=2;if\(\(m&2\)!==0\)m\|=4;return m;\}\]/);
  });

  it('a guard that fails in a mask is named in the error, with the session to replay', () => {
    const broken: DomainDefinition = {
      domain: 'broken',
      aggregates: { A: {} },
      chain: { start: 'a', terminal: 'z', states: { a: { transitions: { b: 1, z: 1 } }, b: { transitions: { z: 1 } }, z: {} } },
      events: { a: {}, b: { guard: 'last.payload.missing.x > 0' }, z: {} },
    };
    const sim = new DomainSimulator(resolveGeneratorConfig({ seed: 'broken', domain: broken }));
    assert.notEqual((sim as unknown as { plans: Array<Array<{ maskOf: unknown }>> }).plans[0]![0]!.maskOf, null);
    assert.throws(() => sim.simulate('0', 3, 1), (e: Error) => {
      assert.equal(e.message, "domain broken: event b failed: Cannot read properties of undefined (reading 'x') (replay: seed broken, partition 0, session 3)");
      return true;
    });
  });

  it('a guard is shared by the events with the same guard; a guard or instance expression that draws is refused', () => {
    const src = compileDomain(shopDomain).programSource;
    parse(`(function($b,P,D,$x){${src}})`, { ecmaVersion: 2017 });
    assert.match(src, /var \$g1=function\(S,self\)\{return !!\(\(\$b\.len\(\$x, S\.s\["cart"\]\) > 0\)\);\};/);
    assert.match(src, /guard:\[null,null,null,\$g0,\$g1,\$g1,\$g2,null\]/);
    // Asked for every candidate target and instance, a guard that drew would depend on how often it was asked.
    const drawing = (events: Record<string, unknown>): unknown => ({ ...guarded, events: { ...(guarded.events as object), ...events } });
    assert.throws(() => compileDomain(drawing({ lucky: { aggregate: 'Audit', guard: 'chance(0.5) && n > 0' } }) as never),
      /^MockjutsuError: domain\.events\.lucky\.guard: a guard cannot draw random values \(random\(\), int\(\), chance\(\).*put the chance into the chain's weights/);
    assert.throws(() => compileDomain(drawing({ withdrawn: { instance: 'pick(map(Account, a => a.id))' } }) as never),
      /^MockjutsuError: domain\.events\.withdrawn\.instance: an instance expression cannot draw random values/);
  });

  it('lists of literals given to pick and pick_weighted are made once; a list that can be kept or changed is not', () => {
    const src = compileDomain(shopDomain).programSource;
    assert.ok(src.startsWith('"use strict";var $k0=[null, null, "https://www.google.com/"'));
    assert.match(src, /\$b\.pick\(\$x, \$k1\)/);
    assert.match(src, /var \$k1=\["card", "paypal", "apple_pay", "google_pay", "bank_transfer"\];/);
    // random() and chance(number literal) are the PRNG's draw inline; chance of a variable stays the builtin (it checks p)
    assert.match(src, /var v0=\$x\.r\(\);/);
    assert.match(src, /\(\(\$x\.r\(\) < 0\.85\) \? S\.u\.preferred_auth : "password"\)/);
    assert.doesNotMatch(src, /\$b\.(random|chance)\(/);
    const weighted = compileDomain({ ...guarded, session: { n: 0, p: 0.5 }, events: { ...guarded.events, closed: { payload: { fields: { q: 'pick_weighted([1, 2], [3, 1])', c: 'chance(p)' } } } } }).programSource;
    assert.match(weighted, /\$b\.pick_weighted\(\$x, \$k0, \$k1\)/);
    assert.match(weighted, /var \$k0=\[1, 2\];var \$k1=\[3, 1\];/);
    assert.match(weighted, /\$b\.chance\(\$x, S\.s\["p"\]\)/);
    const kept = compileDomain({
      ...guarded,
      session: { n: 0, tags: [] },
      events: { ...guarded.events, closed: { payload: { fields: { reason: "pick(['a', 'b'])", tags: "['x', 'y']" } }, effects: ["tags = ['x']"] } },
    }).programSource;
    assert.match(kept, /var f1=\["x", "y"\];/); // a payload field: data of the event, made per event
    assert.match(kept, /S\.s\["tags"\] = \(\["x"\]\)/); // session data an effect may change later
    assert.match(kept, /\$b\.pick\(\$x, \$k0\)/);
  });

  it('an unbound field is drawn by its own generator when that equals the object draw', () => {
    const shop = compileDomain(shopDomain);
    assert.deepEqual(shop.events[0]!.payload!.draw!.fields, ['ip']);
    assert.match(shop.programSource, /build:\[function\(S,self\)\{var d0=D\[8\]\(\$x\.r\);/);
    // minProperties 0 changes no value but is not on the list: the object is drawn, as before
    const login = shopDomain.events.login!;
    const objectDrawn: DomainDefinition = {
      ...shopDomain,
      events: { ...shopDomain.events, login: { ...login, payload: { ...login.payload!, schema: { ...(login.payload!.schema as object), minProperties: 0 } } } },
    };
    const compiled = compileDomain(objectDrawn);
    assert.equal(compiled.events[0]!.payload!.draw!.fields, undefined);
    assert.match(compiled.programSource, /var d=D\[0\]\(\$x\.r\);.*\$b\.own\(d,"ip"\)/);
    const a = sessionsText(new DomainSimulator(resolveGeneratorConfig({ seed: 'ip', domain: shop })), 200);
    const b = sessionsText(new DomainSimulator(resolveGeneratorConfig({ seed: 'ip', domain: compiled })), 200);
    assertSameSessions(a, b);
    assert.match(a, /"ip":"\d+\.\d+\.\d+\.\d+"/);
  });

  it("a field whose text has '/p/' is no read of payload: the payload is one object literal", () => {
    const src = compileDomain(shopDomain).programSource;
    const pageView = src.split('\n')[1]!;
    assert.match(pageView, /"\/p\/"/);
    assert.match(pageView, /p=\{"url":f0,"referrer":f1,"page_type":f2\}/);
    // a field that reads an earlier one builds the payload field by field
    const reads = compileDomain({ ...guarded, events: { ...guarded.events, deposited: { ...guarded.events.deposited!, payload: { fields: { amount: 'a', twice: 'payload.amount * 2' } } } } }).programSource;
    assert.match(reads, /var p=\{\},f;if\(\(f=v0\)!==undefined\)p\["amount"\]=f;if\(\(f=\(p\.amount \* 2\)\)!==undefined\)p\["twice"\]=f;/);
  });
});
