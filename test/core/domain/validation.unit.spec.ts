// Every validation error of a domain, with its message: each names the JSON path (also as the
// error's path) and what is allowed. User-chosen names that are Object.prototype's own
// (constructor, toString, valueOf, __proto__) work as data or are refused clearly.
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { compileDomain } from '../../../src/core/domain/compileDomain.js';
import { DOMAIN_LIMITS } from '../../../src/core/domain/domainChecks.js';
import { createGenerator, MockjutsuError } from '../../../src/core/index.js';

/** A valid domain to break: one aggregate with a counter, a guarded self-loop, a payload. */
function base(): any {
  return {
    domain: 'v',
    aggregates: { A: { state: { n: 0 } } },
    session: { k: 0 },
    params: { p: 1 },
    chain: { start: 's', terminal: 'e', states: { s: { transitions: { a: 1 } }, a: { transitions: { a: 1, e: 1 } }, e: {} } },
    events: {
      a: {
        guard: 'self.n < 3',
        payload: { schema: { type: 'object', properties: { x: { type: 'integer' } } }, fields: { x: 'self.n' } },
        effects: ['self.n = self.n + 1'],
      },
    },
  };
}

function rejects(edit: (d: any) => void, path: string, message: RegExp): void {
  const d = base();
  edit(d);
  assert.throws(() => compileDomain(d), (e: unknown) => {
    assert.ok(e instanceof MockjutsuError, String(e));
    assert.equal(e.code, 'INVALID_DOMAIN');
    assert.equal(e.path, path, e.message);
    assert.ok(e.message.startsWith(path + ': '), `the message names the path: ${e.message}`);
    assert.doesNotMatch(e.message, /\[object Object\]/);
    assert.match(e.message.slice(path.length + 2), message);
    return true;
  });
}

/** Payloads of session `k` (seed 1) of the edited domain. */
function session(edit: (d: any) => void, k = 0): Array<[string, string, unknown]> {
  const d = base();
  edit(d);
  const g = createGenerator({ domain: compileDomain(d), seed: 1 });
  const events = g.session(0, k);
  for (const e of events) assert.equal(JSON.stringify(JSON.parse(JSON.stringify(e))), JSON.stringify(e));
  return events.map((e) => [e.event_type as string, e.aggregate_type as string, e.payload]);
}

describe('core: domain validation errors', () => {
  it('the base domain is valid', () => {
    assert.deepEqual(session(() => undefined).map(([t]) => t).slice(0, 1), ['s']);
  });

  describe('unknown keys suggest the nearest known key', () => {
    it('transitons -> transitions', () => rejects((d) => { d.chain.states.a = { transitons: { e: 1 } }; }, 'domain.chain.states.a.transitons',
      /^unknown key "transitons"; did you mean "transitions"\? allowed keys: think_time, transitions, outcomes$/));
    it('a top-level key', () => rejects((d) => { d.chian = d.chain; delete d.chain; }, 'domain.chian',
      /^unknown key "chian"; did you mean "chain"\? allowed keys: domain, description, schema_version, envelope, params, aggregates, session, chain, events$/));
    it('an event key', () => rejects((d) => { d.events.a.efects = []; }, 'domain.events.a.efects', /^unknown key "efects"; did you mean "effects"\?/));
    it('an aggregate key', () => rejects((d) => { d.aggregates.A.stat = {}; }, 'domain.aggregates.A.stat', /^unknown key "stat"; did you mean "state"\?/));
    it('an envelope field', () => rejects((d) => { d.envelope = { fields: { evnt_type: 'type' } }; }, 'domain.envelope.fields.evnt_type', /^unknown key "evnt_type"; did you mean "event_type"\?/));
    it('a key far from every known one gets the list only', () => rejects((d) => { d.events.a.zzzzzz = 1; }, 'domain.events.a.zzzzzz', /^unknown key "zzzzzz"; allowed keys: aggregate, instance, guard, let, payload, effects$/));
  });

  describe('bad names', () => {
    it('domain name', () => rejects((d) => { d.domain = '1bank'; }, 'domain.domain', /^domain name "1bank" is not allowed; use 1-64 letters, digits, "_", "\." or "-", starting with a letter$/));
    it('domain name missing', () => rejects((d) => { delete d.domain; }, 'domain.domain', /^is undefined; name the domain, e\.g\. "bank"$/));
    it('state name', () => rejects((d) => { d.chain.states['a b'] = { transitions: { e: 1 } }; }, 'domain.chain.states.a b', /^state name "a b" is not allowed/));
    it('aggregate name', () => rejects((d) => { d.aggregates['9A'] = {}; }, 'domain.aggregates.9A', /^aggregate name "9A" is not allowed/));
    it('variable name', () => rejects((d) => { d.aggregates.A.state['n-1'] = 0; }, 'domain.aggregates.A.state.n-1', /^variable name "n-1" is not allowed; use 1-64 letters, digits or "_", not starting with a digit$/));
    it('param name', () => rejects((d) => { d.params['a.b'] = 1; }, 'domain.params.a.b', /^parameter name "a\.b" is not allowed/));
    it('outcome name', () => rejects((d) => { d.chain.states.a = { outcomes: { 'o k': { weight: 1, transitions: { e: 1 } } } }; }, 'domain.chain.states.a.outcomes.o k', /^outcome name "o k" is not allowed/));
    it('a session variable named like the language', () => rejects((d) => { d.session.self = 1; }, 'domain.session.self', /^"self" is a name of the language; name the variable differently$/));
    it('an instance variable named id', () => rejects((d) => { d.aggregates.A.state.id = 1; }, 'domain.aggregates.A.state.id', /^"id" is the instance id \(self\.id\); name the variable differently$/));
    it('a local shadowing a session variable', () => rejects((d) => { d.events.a.let = { k: '1' }; }, 'domain.events.a.let.k', /^"k" is already a session variable; name the local differently$/));
  });

  describe('unknown states, aggregates, fields and names', () => {
    it('transition target', () => rejects((d) => { d.chain.states.a.transitions.ee = 1; }, 'domain.chain.states.a.transitions.ee', /^unknown state "ee"; did you mean "e"\?; known states: "s", "a", "e"$/));
    it('event type far from every state gets the list only', () => rejects((d) => { d.events.zzzzzz = {}; }, 'domain.events.zzzzzz', /^"zzzzzz" is not a state of the chain; states: s, a, e$/));
    it('event type that is no state', () => rejects((d) => { d.events.aa = {}; }, 'domain.events.aa', /^"aa" is not a state of the chain; did you mean "a"\? states: s, a, e$/));
    it('aggregate of an event', () => rejects((d) => { d.events.a.aggregate = 'B'; }, 'domain.events.a.aggregate', /^unknown aggregate "B"; did you mean "A"\? aggregates: A$/));
    it('payload field not in the schema', () => rejects((d) => { d.events.a.payload.fields = { y: '1' }; }, 'domain.events.a.payload.fields.y', /^"y" is not a property of the payload schema; did you mean "x"\? properties: x$/));
    it('a field bound to outcome whose enum lacks an outcome', () => rejects((d) => {
      d.chain.states.a = { outcomes: { ok: { weight: 1, transitions: { e: 1 } }, late: { weight: 1, transitions: { e: 1 } } } };
      d.events.a.payload = { schema: { type: 'object', properties: { x: { enum: ['ok', 'failed'] } } }, fields: { x: 'outcome' } };
    }, 'domain.events.a.payload.fields.x', /^is bound to outcome, but the schema's enum \["ok","failed"\] lacks the outcome "late" of chain\.states\.a; add it to the enum or rename the outcome$/));
    it('member of self', () => rejects((d) => { d.events.a.guard = 'self.m < 3'; }, 'domain.events.a.guard', /^unknown member "self\.m"; did you mean "n"\?; members of self: id, n$/));
    it('name in an expression', () => rejects((d) => { d.events.a.guard = 'kk < 3'; }, 'domain.events.a.guard', /^unknown name "kk"; did you mean "k"\?; known names: /));
    it('an unresolved $ref (the file loader resolves it)', () => rejects((d) => { d.events.a.payload = { $ref: 'x.yaml#X' }; }, 'domain.events.a.payload.$ref', /^"x\.yaml#X" was not resolved; load the domain from its file/));
  });

  describe('start and terminal rules', () => {
    it('unknown start', () => rejects((d) => { d.chain.start = 'x'; }, 'domain.chain.start', /^unknown state "x"; known states: "s", "a", "e"$/));
    it('missing terminal', () => rejects((d) => { delete d.chain.terminal; }, 'domain.chain.terminal', /^missing terminal state; name one of the states: "s", "a", "e"$/));
    it('start = terminal', () => rejects((d) => { d.chain.terminal = 's'; }, 'domain.chain.start', /^start and terminal are both "s"; a session needs a start state distinct from its terminal state$/));
    it('terminal with transitions', () => rejects((d) => { d.chain.states.e = { transitions: { a: 1 } }; }, 'domain.chain.states.e.transitions', /^the terminal state "e" must have no transitions \(a session ends there\)$/));
    it('transition into the start', () => rejects((d) => { d.chain.states.a.transitions.s = 1; }, 'domain.chain.states.a.transitions.s', /^transitions back into the start state "s" are not allowed: a session has exactly one start event$/));
    it('a state without transitions', () => rejects((d) => { d.chain.states.a = {}; }, 'domain.chain.states.a.transitions', /^state "a" has no transitions; every state but the terminal "e" needs at least one$/));
    it('an unreachable state', () => rejects((d) => { d.chain.states.z = { transitions: { e: 1 } }; }, 'domain.chain.states.z', /^state "z" cannot be reached from the start state "s"; add a transition into it or remove it$/));
    it('a state with no way to the terminal', () => rejects((d) => { d.chain.states.s.transitions = { a: 1, e: 1 }; d.chain.states.a.transitions = { a: 1 }; }, 'domain.chain.states.a', /^state "a" has no way to the terminal state "e"; add a transition that leads there$/));
    it('an outcome that only loops back is valid when another leads out: its sessions end', () => {
      const d = base();
      d.chain.states.a = { outcomes: { ok: { weight: 1, transitions: { e: 1 } }, retry: { weight: 3, transitions: { a: 1 } } } };
      const g = createGenerator({ seed: 'loop', domain: d });
      for (let k = 0; k < 200; k++) {
        const events = g.session(0, k) as Array<{ event_type: string }>;
        assert.equal(events[events.length - 1]!.event_type, 'e');
      }
    });
    it('a weight that is not > 0', () => rejects((d) => { d.chain.states.a.transitions.e = 0; }, 'domain.chain.states.a.transitions.e', /^weight is 0; weights must be finite numbers > 0$/));
    it('start event with a guard', () => rejects((d) => { d.events.s = { guard: 'true' }; }, 'domain.events.s.guard', /^the start event always happens; it cannot have a guard$/));
    it('terminal event with a guard', () => rejects((d) => { d.events.e = { guard: 'true' }; }, 'domain.events.e.guard', /^the terminal event always happens \(a session must end\); it cannot have a guard$/));
    it('start event on an existing instance', () => rejects((d) => { d.events.s = { instance: 'any' }; }, 'domain.events.s.instance', /^the start event creates the session's first instance; allowed: "new" \(got "any"\)$/));
    it('max_steps', () => rejects((d) => { d.chain.max_steps = 1; }, 'domain.chain.max_steps', /^is 1; allowed: an integer from 2 to 100000$/));
  });

  describe('expressions and effects', () => {
    it('an effect that assigns nothing', () => rejects((d) => { d.events.a.effects = ['self.n + 1']; }, 'domain.events.a.effects[0]', /^an effect must be assignments/));
    it('effects that are not a list', () => rejects((d) => { d.events.a.effects = 'self.n = 1'; }, 'domain.events.a.effects', /^is "self\.n = 1"; allowed: a list of assignments/));
    it('a guard that is not text', () => rejects((d) => { d.events.a.guard = 5; }, 'domain.events.a.guard', /^is 5; allowed: an expression \(text\), e\.g\. "self\.balance > 0"$/));
  });

  describe('envelope', () => {
    it('payload cannot be dropped', () => rejects((d) => { d.envelope = { fields: { payload: false } }; }, 'domain.envelope.fields.payload', /^payload cannot be dropped; rename it instead$/));
    it('two fields under one name', () => rejects((d) => { d.envelope = { fields: { stream_id: 'event_id' } }; }, 'domain.envelope.fields.stream_id', /^stream_id and event_id would both be named "event_id"; give each field its own name$/));
    it('__proto__ as a field name', () => rejects((d) => { d.envelope = { fields: { stream_id: '__proto__' } }; }, 'domain.envelope.fields.stream_id', /not "__proto__"/));
  });

  describe('limits', () => {
    it('states', () => rejects((d) => { for (let i = 0; i < DOMAIN_LIMITS.states; i++) d.chain.states['t' + i] = { transitions: { e: 1 } }; }, 'domain.chain.states', new RegExp(`^${DOMAIN_LIMITS.states + 3} states; allowed: at most ${DOMAIN_LIMITS.states}$`)));
    it('transitions per state', () => rejects((d) => { for (let i = 0; i < DOMAIN_LIMITS.transitionsPerState; i++) { d.chain.states['t' + i] = { transitions: { e: 1 } }; d.chain.states.a.transitions['t' + i] = 1; } }, 'domain.chain.states.a.transitions', new RegExp(`^${DOMAIN_LIMITS.transitionsPerState + 2} transitions; allowed: at most ${DOMAIN_LIMITS.transitionsPerState}$`)));
    it('aggregates', () => rejects((d) => { for (let i = 0; i < DOMAIN_LIMITS.aggregates; i++) d.aggregates['A' + i] = {}; }, 'domain.aggregates', new RegExp(`^${DOMAIN_LIMITS.aggregates + 1} aggregates; allowed: at most ${DOMAIN_LIMITS.aggregates}$`)));
    it('variables', () => rejects((d) => { for (let i = 0; i <= DOMAIN_LIMITS.variables; i++) d.session['v' + i] = 0; }, 'domain.session', new RegExp(`^${DOMAIN_LIMITS.variables + 2} variables; allowed: at most ${DOMAIN_LIMITS.variables}$`)));
    it('expression length', () => rejects((d) => { d.events.a.guard = '1 + '.repeat(1100) + '1'; }, 'domain.events.a.guard', /^is 4401 characters long; allowed: at most 4000$/));
    it('JSON nesting of an initial value', () => rejects((d) => { let v: unknown = 0; for (let i = 0; i < 40; i++) v = [v]; d.session.k = v; }, 'domain.session.k', /^nests deeper than 32 levels$/));
    it('effects', () => rejects((d) => { d.events.a.effects = Array.from({ length: DOMAIN_LIMITS.effects + 1 }, () => 'self.n = 1'); }, 'domain.events.a.effects', new RegExp(`^${DOMAIN_LIMITS.effects + 1} effects; allowed: at most ${DOMAIN_LIMITS.effects}$`)));
  });

  describe('Object.prototype names as user names: data, or refused clearly', () => {
    it('constructor and toString as states (with a valueOf payload field) emit those event types', () => {
      const types = new Set<string>();
      const payloads: unknown[] = [];
      for (let k = 0; k < 40; k++) {
        for (const [t, , p] of session((d) => {
          d.chain.states.constructor = { transitions: { e: 1 } };
          d.chain.states.toString = { transitions: { e: 1 } };
          d.chain.states.a.transitions.constructor = 1;
          d.chain.states.a.transitions.toString = 1;
          d.events.toString = { payload: { schema: { type: 'object', properties: { valueOf: { type: 'integer' } } }, fields: { valueOf: 'self.n + 40' } } };
        }, k)) {
          types.add(t);
          if (t === 'toString') payloads.push(p);
        }
      }
      assert.deepEqual([...types].sort(), ['a', 'constructor', 'e', 's', 'toString']);
      assert.ok(payloads.length > 0);
      for (const p of payloads) {
        assert.deepEqual(Object.keys(p as object), ['valueOf']);
        assert.ok(Number((p as { valueOf: unknown }).valueOf) >= 40);
      }
    });
    it('__proto__ as a state or aggregate name is refused by the name rule', () => {
      rejects((d) => { d.chain.states = JSON.parse('{"s":{"transitions":{"a":1}},"a":{"transitions":{"a":1,"e":1}},"__proto__":{"transitions":{"e":1}},"e":{}}'); }, 'domain.chain.states.__proto__', /^state name "__proto__" is not allowed; use 1-64 letters/);
      rejects((d) => { d.aggregates = JSON.parse('{"__proto__": {"state": {"n": 0}}}'); }, 'domain.aggregates.__proto__', /^aggregate name "__proto__" is not allowed/);
    });
    it('constructor as an aggregate is its aggregate_type', () => {
      const s = session((d) => { d.aggregates = { constructor: { state: { n: 0 } } }; });
      assert.ok(s.every(([, agg]) => agg === 'constructor'));
    });
    it('constructor, __proto__ and valueOf as variables and toString as a param hold their values', () => {
      const instance = session((d) => { d.aggregates.A.state = JSON.parse('{"n":0,"constructor":5,"__proto__":7}'); d.events.a.payload.fields.x = 'self.constructor * 10 + self.__proto__'; });
      assert.deepEqual(instance.find(([t]) => t === 'a')![2], { x: 57 });
      const sess = session((d) => { d.session = JSON.parse('{"valueOf":3,"__proto__":2}'); d.events.a.payload.fields.x = 'valueOf * 10 + __proto__'; });
      assert.deepEqual(sess.find(([t]) => t === 'a')![2], { x: 32 });
      const param = session((d) => { d.params = JSON.parse('{"toString":9,"__proto__":4}'); d.events.a.payload.fields.x = 'params.toString * 10 + params.__proto__'; });
      assert.deepEqual(param.find(([t]) => t === 'a')![2], { x: 94 });
    });
    it('effects on constructor and __proto__ variables change them, not Object.prototype', () => {
      const s = session((d) => {
        d.session = JSON.parse('{"__proto__":1,"constructor":1}');
        d.events.a.effects = ['__proto__ = __proto__ + 1', 'constructor = constructor * 2'];
        d.events.e = { payload: { fields: { p: '__proto__', c: 'constructor' } } };
      }, 3);
      const as = s.filter(([t]) => t === 'a').length;
      assert.deepEqual(s.at(-1)![2], { p: 1 + as, c: 2 ** as });
      assert.equal(({} as Record<string, unknown>).constructor, Object);
    });
    it('__proto__ and constructor as payload fields are own keys of the payload', () => {
      const s = session((d) => { d.events.a.payload = JSON.parse('{"schema":{"type":"object","properties":{"__proto__":{"type":"integer"},"constructor":{"type":"integer"}}},"fields":{"__proto__":"self.n","constructor":"2"}}'); });
      const p = s.find(([t]) => t === 'a')![2] as object;
      assert.deepEqual(Object.keys(p), ['__proto__', 'constructor']);
      assert.equal(JSON.stringify(p), '{"__proto__":0,"constructor":2}');
      assert.equal(Object.getPrototypeOf(p), Object.prototype);
    });
    it('toString as a local name', () => {
      const s = session((d) => { d.events.a.let = { toString: '5' }; d.events.a.payload.fields.x = 'toString'; });
      assert.deepEqual(s.find(([t]) => t === 'a')![2], { x: 5 });
    });
    it('a YAML file\'s __proto__ keys are own keys (the YAML parser keeps them)', () => {
      const y = parseYaml('session:\n  __proto__: 1\n') as { session: object };
      assert.deepEqual(Object.keys(y.session), ['__proto__']);
    });
  });
});
