import assert from 'node:assert/strict';
import { checkModel, compileModel, createGenerator, parseModel, MockjutsuError, defaultModelDefinition, BUILT_IN_DOMAINS, type MarkovModelDefinition } from '../../src/index.js';

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
  it('accepts the default model (the shop\'s chain, derived from the shop domain) and a JSON round trip of it', () => {
    const shop = BUILT_IN_DOMAINS.shop!;
    assert.equal(defaultModelDefinition.states, shop.chain!.states, 'the same object: written once');
    assert.deepEqual({ ...defaultModelDefinition }, { name: 'shop', ...shop.chain!, max_cart_lines: 8, aggregate_type: 'ShoppingSession' });
    const compiled = compileModel(defaultModelDefinition);
    assert.equal(compiled.chain.states.length, 8);
    assert.equal(compiled.name, 'shop');
    assert.equal(parseModel(JSON.stringify(defaultModelDefinition)).name, 'shop');
  });

  it('compiles to the shop with the model\'s chain: aggregate_type names the stream, max_cart_lines is the shop\'s param', () => {
    const model = { ...base(), aggregate_type: 'Basket', max_cart_lines: 2 };
    const d = compileModel(model);
    assert.deepEqual(d.aggregates.map((a) => a.name), ['Basket']);
    assert.equal(d.params.max_cart_lines, 2);
    const g = createGenerator({ seed: 'm', model });
    let most = 0;
    for (let k = 0; k < 300; k++) {
      let lines = new Set<string>();
      for (const e of g.session(0, k)) {
        assert.match(e.stream_id, /^Basket-/);
        if (e.event_type === 'add_to_cart') lines.add((e.payload as { sku: string }).sku);
        if (e.event_type === 'remove_from_cart') lines.delete((e.payload as { sku: string }).sku);
        if (e.event_type === 'payment' && (e.payload as { status: string }).status === 'success') lines = new Set();
        most = Math.max(most, lines.size);
      }
    }
    assert.equal(most, 2, 'the cart never holds more than max_cart_lines lines');
  });

  it('rejects an unknown key, suggesting the nearest, and bad max_cart_lines / aggregate_type', () => {
    rejects({ ...base(), terminl: 'logout' }, 'model.terminl', /unknown key "terminl"; did you mean "terminal"\? allowed keys: name, start, terminal, max_steps, max_cart_lines, aggregate_type, states$/);
    rejects({ ...base(), max_cart_lines: 0 }, 'model.max_cart_lines', /is 0; allowed: an integer from 1 to 50/);
    rejects({ ...base(), aggregate_type: '9lives' }, 'model.aggregate_type', /aggregate_type "9lives" is not allowed/);
    assert.throws(() => checkModel([]), /model: expected an object with start, terminal and states, got/);
  });

  it('has no state-name rules: a payment with outcomes other than success/failed is a valid chain', () => {
    const p = base();
    p.states.payment.outcomes.maybe = { weight: 1, transitions: { logout: 1 } };
    assert.equal(checkModel(p), p);
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

  it('rejects a missing terminal, bad think times and bad caps', () => {
    const m = base();
    delete m.terminal;
    rejects(m, 'model.terminal', /missing terminal state/);
    const t = base();
    t.states.search.think_time = { median_ms: -5, sigma: 0.3 };
    rejects(t, 'model.states.search.think_time.median_ms', /is -5; allowed: a number of milliseconds > 0/);
    const c = base();
    c.max_steps = 1;
    rejects(c, 'model.max_steps', /is 1; allowed: an integer from 2 to 100000/);
  });

  it('rejects a non-terminal state without transitions, and malformed JSON', () => {
    const m = base();
    m.states.search = { think_time: { median_ms: 10, sigma: 0 } };
    rejects(m, 'model.states.search.transitions', /has no transitions/);
    assert.throws(() => parseModel('{"start": '), /model is not valid JSON/);
  });
});
