import assert from 'node:assert/strict';
import { compileModel, parseModel, MockjutsuError, defaultModelDefinition, type MarkovModelDefinition } from '../../src/index.js';

function base(): any {
  return JSON.parse(JSON.stringify(defaultModelDefinition));
}

function rejects(model: unknown, path: string, pattern: RegExp): void {
  assert.throws(() => compileModel(model as MarkovModelDefinition), (e: unknown) => {
    assert.ok(e instanceof MockjutsuError, 'a MockjutsuError');
    assert.equal(e.code, 'INVALID_MODEL');
    assert.equal(e.path, path);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('core: model validation', () => {
  it('accepts the default model and a JSON round trip of it', () => {
    assert.equal(compileModel(defaultModelDefinition).states.length, 8);
    assert.equal(parseModel(JSON.stringify(defaultModelDefinition)).name, 'ecommerce');
  });

  it('rejects an unknown state in transitions, listing the known ones', () => {
    const m = base();
    m.states.search.transitions.wishlist = 3;
    rejects(m, 'model.states.search.transitions.wishlist', /unknown state "wishlist"; known states: "login", "page_view"/);
  });

  it('rejects a non-positive weight', () => {
    const m = base();
    m.states.login.transitions.page_view = 0;
    rejects(m, 'model.states.login.transitions.page_view', /weight is 0; weights must be finite numbers > 0/);
    m.states.login.transitions.page_view = -2;
    rejects(m, 'model.states.login.transitions.page_view', /weight is -2/);
  });

  it('rejects a state with no way to the terminal', () => {
    const m = base();
    m.states.loop = { transitions: { loop: 1 } };
    m.states.login.transitions.loop = 1;
    rejects(m, 'model.states.loop', /state "loop" has no way to the terminal state "logout"/);
  });

  it('rejects transitions out of the terminal', () => {
    const m = base();
    m.states.logout = { transitions: { login: 1 } };
    rejects(m, 'model.states.logout.transitions', /terminal state "logout" must have no transitions/);
  });

  it('rejects a missing or unknown start', () => {
    const m = base();
    delete m.start;
    rejects(m, 'model.start', /missing start state; name one of the states: "login"/);
    m.start = 'home';
    rejects(m, 'model.start', /unknown state "home"/);
  });

  it('rejects a missing terminal, bad think times, bad caps and bad payment outcomes', () => {
    const m = base();
    delete m.terminal;
    rejects(m, 'model.terminal', /missing terminal state/);
    const t = base();
    t.states.search.think_time = { median_ms: -5, sigma: 0.3 };
    rejects(t, 'model.states.search.think_time.median_ms', /is -5; allowed: a number of milliseconds > 0/);
    const c = base();
    c.max_steps = 1;
    rejects(c, 'model.max_steps', /is 1; allowed: an integer from 2 to 100000/);
    const p = base();
    p.states.payment.outcomes.maybe = { weight: 1, transitions: { logout: 1 } };
    rejects(p, 'model.states.payment.outcomes.maybe', /allowed: "success", "failed"/);
  });

  it('rejects a non-terminal state without transitions, and malformed JSON', () => {
    const m = base();
    m.states.search = { think_time: { median_ms: 10, sigma: 0 } };
    rejects(m, 'model.states.search.transitions', /has no transitions/);
    assert.throws(() => parseModel('{"start": '), /model is not valid JSON/);
  });
});
