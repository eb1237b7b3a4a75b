import assert from 'node:assert/strict';
import { parse } from 'acorn';
import { compileDomain } from '../../../src/core/domain/compileDomain.js';
import { DomainSimulator } from '../../../src/core/domain/domainSimulator.js';
import { assertSameSessions, sessionsText } from './sessionTexts.js';
import type { DomainDefinition } from '../../../src/core/domain/domainDefinition.js';
import { resolveGeneratorConfig } from '../../../src/core/generatorOptions.js';
import { BUILT_IN_DOMAINS } from '../../../src/core/domains/index.js';
import { builtInDomain } from '../../../src/core/domains/index.js';

// The program's session walk (walkSource.ts: the chain walk with the domain's constants in
// place) must give the generic loop's bytes: the same draws in the same order.

/** The walk's sessions and the generic loop's, of one domain and seed. */
function bothWays(domain: unknown, seed: string, sessions: number): { walk: string; generic: string } {
  const config = resolveGeneratorConfig({ seed, domain: domain as never });
  const walking = new DomainSimulator(config);
  const generic = new DomainSimulator(config);
  generic.useWalk = false;
  return { walk: sessionsText(walking, sessions, (k) => 1 + k), generic: sessionsText(generic, sessions, (k) => 1 + k) };
}

/**
 * Several instances of one aggregate (new, any, an instance expression), a second aggregate
 * made later, guards on both, renamed and dropped envelope fields, and a step cap sessions hit.
 */
const several: DomainDefinition = {
  domain: 'several',
  schema_version: 3,
  envelope: { fields: { event_type: 'kind', stream_id: 'stream', stream_version: 'v', timestamp: 'at', schema_version: false, causation_id: 'cause' } },
  aggregates: { Account: { stream_id: 'Account-{id}', state: { balance: 0 }, max_instances: 3 }, Audit: { id: 'session' } },
  session: { n: 0 },
  chain: {
    start: 'opened', terminal: 'closed', max_steps: 12,
    states: {
      opened: { transitions: { deposited: 4, withdrawn: 2, another: 2, checked: 1 } },
      another: { transitions: { deposited: 3, withdrawn: 3, moved: 3, closed: 1 } },
      deposited: { transitions: { deposited: 2, withdrawn: 3, moved: 2, checked: 2, audited: 1, closed: 1 } },
      withdrawn: {
        outcomes: {
          ok: { weight: 3, transitions: { deposited: 3, withdrawn: 2, audited: 2, closed: 1 } },
          refused: { weight: 1, transitions: { deposited: 1, another: 1, closed: 1 } },
        },
      },
      moved: { transitions: { deposited: 2, withdrawn: 2, closed: 1 } },
      checked: { transitions: { deposited: 2, audited: 2, closed: 1 } },
      audited: { transitions: { deposited: 2, withdrawn: 1, closed: 1 } },
      closed: {},
    },
  },
  events: {
    opened: { instance: 'new', effects: ['self.balance = int(0, 50)'] },
    another: { instance: 'new', effects: ['self.balance = int(0, 50)'] },
    deposited: { let: { a: 'int(1, 100)' }, payload: { fields: { amount: 'a' } }, effects: ['self.balance = self.balance + a', 'n = n + 1'] },
    withdrawn: { guard: 'self.balance > 10', let: { a: 'int(1, 10)' }, payload: { fields: { amount: 'a', result: 'outcome' } }, effects: ['self.balance = self.balance - a'] },
    // the instance named by an expression: the first account (several may exist)
    moved: { instance: 'first(Account).id', guard: 'len(Account) > 1', payload: { fields: { from: 'self.id' } } },
    checked: { aggregate: 'Audit', instance: 'new', guard: 'n > 1', payload: { fields: { n: 'n' } } },
    audited: { aggregate: 'Audit', guard: 'n > 0', payload: { fields: { at: 'step' } } },
    closed: { payload: { fields: { reason: "capped ? 'cap' : pick(['a', 'b'])" } } },
  },
};

describe('domain session walk (unit)', () => {
  for (const name of ['shop', 'bank', 'hotel']) {
    it(`${name}: the walk gives the generic loop's bytes`, () => {
      const { walk, generic } = bothWays(BUILT_IN_DOMAINS[name], 'walk', 400);
      assertSameSessions(walk, generic);
      assert.ok(walk.length > 100_000, `${name}: ${walk.length} characters`);
    });
  }

  it("several instances, an instance expression, two aggregates, outcomes, a renamed envelope, the step cap: the generic loop's bytes", () => {
    const { walk, generic } = bothWays(several, 'walk', 500);
    assertSameSessions(walk, generic);
    for (const t of ['opened', 'another', 'deposited', 'withdrawn', 'moved', 'checked', 'audited', 'closed']) assert.ok(walk.includes(`"kind":"${t}"`), t);
    assert.ok(walk.includes('"reason":"cap"'), 'some session hits max_steps');
    assert.ok(walk.includes('"result":"refused"'));
    const first = JSON.parse(walk.split('\n')[0]!) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(first[0]!), ['event_id', 'kind', 'stream', 'aggregate_type', 'aggregate_id', 'v', 'global_position', 'correlation_id', 'cause', 'session_id', 'user_id', 'at', 'payload']);
  });

  it('the program carries the walk (built-ins generated ahead too); without it the simulator runs its generic loop', () => {
    const src = compileDomain(several).programSource;
    parse(`(function($b,P,D,$x){${src}})`, { ecmaVersion: 2017 });
    assert.match(src, /,walk:function\(H,S,r,inst,first,cid,sid,uid,ts\)\{var B=this\.build,M=this\.mask,\$B0=B\[0\],/);
    // the step cap and the outcome draw with the domain's constants in place
    assert.match(src, /if\(step>=11\)\{nx=7;S\.c=true;inst=null;/);
    assert.match(src, /case 3:x=r\(\)\*4;o=x<3\?0:1;S\.o=o===0\?"ok":"refused";break;/);
    // an outcome with an instance expression among its targets goes back to the simulator
    assert.match(src, /\{nx=H\.next\(1,0\);inst=C\[nx\]\|\|null;\}/);
    const shop = builtInDomain('shop');
    assert.equal(typeof shop.program, 'function');
    // (under tsx the functions of the generated module are wrapped by esbuild's keepNames)
    assert.match(String(shop.program), /,walk:(__name\()?function\(H,/);
    // a program generated before the walk: the generic loop, the same bytes
    const compiled = compileDomain(several);
    const old = { ...compiled, programSource: compiled.programSource.replace(/,walk:function\(H,[^\n]*?\}\};$/, '};') };
    assert.doesNotMatch(old.programSource, /walk:/);
    const { walk } = bothWays(several, 'old', 100);
    const { walk: noWalk } = bothWays(old, 'old', 100);
    assertSameSessions(noWalk, walk);
  });

  it('a guard that fails in the walk is named in the error, with the session to replay', () => {
    const broken: DomainDefinition = {
      domain: 'broken',
      aggregates: { A: {} },
      chain: { start: 'a', terminal: 'z', states: { a: { transitions: { b: 1, z: 1 } }, b: { transitions: { z: 1 } }, z: {} } },
      events: { a: {}, b: { guard: 'last.payload.missing.x > 0' }, z: { payload: { fields: { y: 'last.payload.missing.y' } } } },
    };
    const sim = new DomainSimulator(resolveGeneratorConfig({ seed: 'broken', domain: broken }));
    assert.throws(() => sim.simulate('0', 3, 1), (e: Error) => {
      assert.equal(e.message, "domain broken: event b failed: Cannot read properties of undefined (reading 'x') (replay: seed broken, partition 0, session 3)");
      return true;
    });
    const buildFails: DomainDefinition = { ...broken, events: { a: {}, b: {}, z: { payload: { fields: { y: 'last.payload.missing.y' } } } } };
    const sim2 = new DomainSimulator(resolveGeneratorConfig({ seed: 'broken', domain: buildFails }));
    assert.throws(() => sim2.simulate('2', 5, 1), (e: Error) => {
      assert.equal(e.message, "domain broken: event z failed: Cannot read properties of undefined (reading 'y') (replay: seed broken, partition 2, session 5)");
      return true;
    });
  });
});
