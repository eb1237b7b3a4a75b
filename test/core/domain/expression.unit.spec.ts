import assert from 'node:assert/strict';
import { parse } from 'acorn';
import {
  compileExpression, EXPRESSION_BUILTINS, BUILTIN_SIGNATURES, FAKE_LISTS, type ExpressionContext, type ScopeEntry,
} from '../../../src/core/domain/expression/index.js';
import { nearestName, editDistance } from '../../../src/core/domain/nearestName.js';
import { derivePrng } from '../../../src/core/prng.js';
import { ProductCatalog } from '../../../src/core/productCatalog.js';
import { MockjutsuError } from '../../../src/core/mockjutsuError.js';
import { formatCents, parseCents } from '../../../src/core/money.js';
import { firstNames } from '../../../src/core/data/fakerSlice.generated.js';

const SCOPE: Record<string, ScopeEntry> = {
  self: { js: 's.self', members: ['balance', 'status', 'constructor'] },
  cart: { js: 's.cart', assignable: true },
  balance: { js: 's.balance', assignable: true },
  payload: { js: 'p' },
  data: { js: 's.data', assignable: true },
  outcome: { js: 's.outcome' },
};

interface Env { s: Record<string, any>; p: Record<string, any>; x: ExpressionContext }

function env(seed = 'test'): Env {
  const r = derivePrng(seed, 'expression');
  const catalog = new ProductCatalog(seed, 100);
  return {
    s: {
      self: { balance: 100, status: 'open', constructor: 'own-ctor' },
      cart: [{ sku: 'A', quantity: 2, price_cents: 150 }, { sku: 'B', quantity: 1, price_cents: 1000 }],
      balance: 7,
      data: { constructor: 'c', toString: 't', ['__proto__']: 'p', n: 1 },
      outcome: 'failed',
    },
    p: { amount: 30, name: 'Ann', list: [1, 2, 3] },
    x: { r, product: () => catalog.draw(r) },
  };
}
// `__proto__` in an object literal of the test file sets the prototype: make it an own key.
function ownProto<T extends object>(o: T, v: unknown): T {
  Object.defineProperty(o, '__proto__', { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

function compile(source: string, assignment = false): string {
  return compileExpression(source, { path: 'events.e.guard', scope: SCOPE, assignment });
}
function evaluate(source: string, e: Env = env(), assignment = false): any {
  const js = compile(source, assignment);
  // The generated code must be ES2017 (k6's goja before v0.53 runs it through an old Babel).
  parse(js, { ecmaVersion: 2017 });
  return new Function('$b', '$x', 's', 'p', 'return ' + js)(EXPRESSION_BUILTINS, e.x, e.s, e.p);
}
function rejects(source: string, pattern: RegExp, assignment = false): void {
  assert.throws(() => compile(source, assignment), (err: unknown) => {
    assert.ok(err instanceof MockjutsuError, String(err));
    assert.equal(err.code, 'INVALID_DOMAIN');
    assert.equal(err.path, 'events.e.guard');
    assert.match(err.message, /^events\.e\.guard: /);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('domain expressions (unit)', () => {
  describe('node types', () => {
    it('literals', () => {
      assert.equal(evaluate('1.5'), 1.5);
      assert.equal(evaluate("'a\"b'"), 'a"b');
      assert.equal(evaluate('"x\u2028y"'), 'x\u2028y');
      assert.equal(evaluate('true'), true);
      assert.equal(evaluate('false'), false);
      assert.equal(evaluate('null'), null);
      assert.equal(evaluate('undefined'), undefined);
    });
    it('identifiers through the scope, members of records and of data', () => {
      assert.equal(evaluate('balance'), 7);
      assert.equal(evaluate('self.balance'), 100);
      assert.equal(evaluate('payload.name'), 'Ann');
      assert.equal(evaluate('cart[1].sku'), 'B');
      assert.equal(evaluate("payload['name']"), 'Ann');
      assert.equal(evaluate('payload.list.length'), 3);
      assert.equal(evaluate('payload.name.length'), 3);
      assert.equal(evaluate('cart[5]'), undefined);
      assert.equal(evaluate('payload.missing'), undefined);
    });
    it('unary, binary, logical and conditional operators', () => {
      assert.equal(evaluate('!true'), false);
      assert.equal(evaluate('-self.balance'), -100);
      assert.equal(evaluate('- -3'), 3);
      assert.equal(evaluate("+'4'"), 4);
      assert.equal(evaluate('7 + 3 * 2 - 8 / 4 % 3'), 11);
      assert.equal(evaluate("'a' + 1"), 'a1');
      assert.equal(evaluate("1 == '1'"), false, '== compiles to ===');
      assert.equal(evaluate("1 != '1'"), true);
      assert.equal(evaluate('1 === 1 && 2 !== 3'), true);
      assert.deepEqual([evaluate('1 < 2'), evaluate('2 <= 2'), evaluate('3 > 4'), evaluate('4 >= 4')], [true, true, false, true]);
      assert.equal(evaluate('null || 5'), 5);
      assert.equal(evaluate('0 && 5'), 0);
      assert.equal(evaluate("outcome == 'failed' ? 'x' : 'y'"), 'x');
      assert.equal(evaluate('self.balance > 0 && len(cart) < 8'), true);
    });
    it('lists and objects', () => {
      assert.deepEqual(evaluate('[1, payload.name, [2]]'), [1, 'Ann', [2]]);
      assert.deepEqual(evaluate("{ a: 1, 'b c': payload.amount, 3: 'n', cart }"), { a: 1, 'b c': 30, 3: 'n', cart: env().s.cart });
    });
    it('lambdas as builtin arguments, shadowing the scope, with an index', () => {
      assert.equal(evaluate('sum(cart, l => l.quantity * l.price_cents)'), 1300);
      assert.deepEqual(evaluate('map(cart, (balance, i) => balance.sku + i)'), ['A0', 'B1']);
      assert.deepEqual(evaluate('map(cart, l => ({ s: l.sku }))'), [{ s: 'A' }, { s: 'B' }]);
      assert.deepEqual(evaluate('map(payload.list, n => map(cart, l => n * l.quantity))'), [[2, 1], [4, 2], [6, 3]]);
    });
    it('effects: assignments to names, declared members and data, in order', () => {
      const e = env();
      evaluate('self.balance = self.balance - payload.amount, balance += 3, cart = append(cart, { sku: payload.name, quantity: 1 })', e, true);
      assert.equal(e.s.self.balance, 70);
      assert.equal(e.s.balance, 10);
      assert.equal(e.s.cart.length, 3);
      evaluate('balance *= 2; balance -= 1; cart[0].quantity += 1; data.n = 5; data["k"] = 1', e, true);
      assert.equal(e.s.balance, 19);
      assert.equal(e.s.cart[0].quantity, 3);
      assert.equal(e.s.data.n, 5);
      assert.equal(e.s.data.k, 1);
      assert.match(compile('balance = 1', true), /^\(s\.balance = \(1\)\)$/);
    });
    it('effects: conditional assignments run only the branch taken; null is no effect', () => {
      const e = env();
      evaluate("outcome == 'failed' ? (balance = 1, self.status = 'x') : (balance = 2)", e, true);
      assert.equal(e.s.balance, 1);
      assert.equal(e.s.self.status, 'x');
      evaluate("outcome == 'success' ? (balance = 5) : null", e, true);
      assert.equal(e.s.balance, 1);
      evaluate("outcome == 'failed' ? null : (balance = 5)", e, true);
      assert.equal(e.s.balance, 1);
      rejects("outcome == 'failed' ? 1 : (balance = 2)", /an effect must be assignments/, true);
    });
  });

  describe('builtins', () => {
    it('every signature has an implementation, and the helpers are not callable', () => {
      for (const name of Object.keys(BUILTIN_SIGNATURES)) assert.equal(typeof (EXPRESSION_BUILTINS as any)[name], 'function', name);
      for (const helper of ['own', 'put', 'at', 'update']) rejects(`${helper}(payload, 'name')`, /unknown builtin/);
    });
    it('randomness: random, int, chance, pick, pick_weighted, uuid, lognormal, product, fake', () => {
      const r = evaluate('random()');
      assert.ok(r >= 0 && r < 1);
      for (let i = 0; i < 50; i++) assert.ok([1, 2, 3].includes(evaluate('int(1, 3)', env('s' + i))));
      assert.equal(evaluate('int(5, 5)'), 5);
      assert.equal(evaluate('chance(1)'), true);
      assert.equal(evaluate('chance(0)'), false);
      assert.ok(['x', 'y'].includes(evaluate("pick(['x', 'y'])")));
      assert.equal(evaluate("pick_weighted(['a', 'b'], [0, 1])"), 'b');
      assert.equal(evaluate('pick_weighted({ a: 0, b: 2, c: 0 })'), 'b');
      assert.match(evaluate('uuid()'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(evaluate('lognormal(25, 0)'), 25);
      assert.ok(evaluate('lognormal(25, 1)') > 0);
      const product = evaluate('product()');
      assert.match(product.sku, /^SKU-\d{6}$/);
      assert.ok(Number.isInteger(product.priceCents));
      assert.ok(firstNames.includes(evaluate("fake('first_name')")));
    });
    it('numbers: min, max, abs, floor, ceil, round, clamp', () => {
      assert.equal(evaluate('min(3, 1, 2)'), 1);
      assert.equal(evaluate('min(payload.list)'), 1);
      assert.equal(evaluate('max(3, 1, 2)'), 3);
      assert.equal(evaluate('max(payload.list)'), 3);
      assert.equal(evaluate('abs(-2)'), 2);
      assert.equal(evaluate('floor(2.7)'), 2);
      assert.equal(evaluate('ceil(2.1)'), 3);
      assert.equal(evaluate('round(2.5)'), 3);
      assert.equal(evaluate('clamp(12, 0, 10)'), 10);
      assert.equal(evaluate('clamp(-1, 0, 10)'), 0);
      assert.equal(evaluate('clamp(4, 0, 10)'), 4);
    });
    it('lists: len, count, sum, map, filter, find, some, every, index_of, includes, append, remove_at, set_at, first, last', () => {
      assert.equal(evaluate('len(cart)'), 2);
      assert.equal(evaluate("len('abc')"), 3);
      assert.equal(evaluate('count(cart)'), 2);
      assert.equal(evaluate('count(cart, l => l.quantity > 1)'), 1);
      assert.equal(evaluate('sum(payload.list)'), 6);
      assert.deepEqual(evaluate('map(cart, l => l.sku)'), ['A', 'B']);
      assert.deepEqual(evaluate('filter(payload.list, n => n != 2)'), [1, 3]);
      assert.equal(evaluate("find(cart, l => l.sku == 'B').quantity"), 1);
      assert.equal(evaluate("find(cart, l => l.sku == 'Z')"), null);
      assert.equal(evaluate('some(cart, l => l.quantity > 1)'), true);
      assert.equal(evaluate('every(cart, l => l.quantity > 1)'), false);
      assert.equal(evaluate("index_of(cart, l => l.sku == 'B')"), 1);
      assert.equal(evaluate("index_of(cart, l => l.sku == 'Z')"), -1);
      assert.equal(evaluate('includes(payload.list, 2)'), true);
      assert.equal(evaluate("includes('abc', 'bc')"), true);
      const e = env();
      assert.deepEqual(evaluate('append(payload.list, 4)', e), [1, 2, 3, 4]);
      assert.deepEqual(evaluate('remove_at(payload.list, 0)', e), [2, 3]);
      assert.deepEqual(evaluate('set_at(payload.list, 1, 9)', e), [1, 9, 3]);
      assert.deepEqual(e.p.list, [1, 2, 3], 'append, remove_at and set_at return new lists');
      assert.equal(evaluate('first(payload.list)'), 1);
      assert.equal(evaluate('last(payload.list)'), 3);
      assert.equal(evaluate('first([])'), null);
      assert.equal(evaluate('last([])'), null);
    });
    it('text and money: concat, lower, upper, slug, url_encode, pad, format_cents, to_cents', () => {
      assert.equal(evaluate("concat('a', 1, true, null, 'b')"), 'a1trueb');
      assert.equal(evaluate("lower('AbC')"), 'abc');
      assert.equal(evaluate("upper('AbC')"), 'ABC');
      assert.equal(evaluate("slug(' Big Red  Chair! ')"), 'big-red-chair');
      assert.equal(evaluate("url_encode('a b&c/é')"), 'a%20b%26c%2F%C3%A9');
      assert.equal(evaluate('pad(42, 5)'), '00042');
      assert.equal(evaluate('pad(-42, 3)'), '-042');
      assert.equal(evaluate('pad(12345, 3)'), '12345');
      assert.equal(evaluate('format_cents(1234)'), '12.34');
      assert.equal(evaluate('format_cents(5)'), '0.05');
      assert.equal(evaluate('format_cents(-5)'), '-0.05');
      assert.equal(evaluate("to_cents('12.34')"), 1234);
      assert.equal(evaluate("to_cents('12.3')"), 1230);
      assert.equal(evaluate("to_cents('-7')"), -700);
      assert.equal(evaluate('to_cents(12.345)'), 1235);
      assert.equal(formatCents(parseCents('0.99')!), '0.99');
    });
    it('a bad value at run time names the builtin and the value', () => {
      const cases: Array<[string, RegExp]> = [
        ["len(5)", /^len: expected a list or a string, got 5$/],
        ["int(3, 1)", /^int: max must be >= min \(3\), got 1$/],
        ["int(1.5, 3)", /^int: min must be an integer, got 1.5$/],
        ["pick([])", /^pick: expected a non-empty list, got an array of 0$/],
        ["sum(cart, l => l.sku)", /^sum: expected numbers to add, got "A"$/],
        ["pick_weighted(['a'], [-1])", /^pick_weighted: a weight must be a finite number >= 0, got -1$/],
        ["pick_weighted(['a', 'b'], [1])", /^pick_weighted: expected 2 weights, one per value/],
        ["pick_weighted({ a: 0 })", /^pick_weighted: the weights must not all be 0/],
        ["to_cents('12,34')", /^to_cents: expected a number or a decimal string like "12.34", got "12,34"$/],
        ["upper(1)", /^upper: expected a string, got 1$/],
        ["remove_at(payload.list, 3)", /^remove_at: expected an index from 0 to 2, got 3$/],
        ["concat(payload)", /^concat: expected strings, numbers or booleans, got an object$/],
        ["format_cents(1.5)", /^format_cents: expected integer cents, got 1.5$/],
      ];
      for (const [source, pattern] of cases) {
        assert.throws(() => evaluate(source), (err: unknown) => err instanceof MockjutsuError && err.code === 'INVALID_DOMAIN' && pattern.test(err.message), source);
      }
    });
  });

  describe('sandbox', () => {
    it('refuses escapes at compile time, naming what is allowed', () => {
      rejects("constructor.constructor('return process')()", /only builtins can be called/);
      rejects('toString()', /unknown builtin "toString"/);
      rejects('this', /"this" is not allowed/);
      rejects('this.x', /"this" is not allowed/);
      rejects('new X()', /"new" is not part of the expression language; allowed: /);
      rejects("eval('1')", /"eval" is not part of the expression language; builtins: /);
      rejects('cart.push(1)', /only builtins can be called \(no methods on values: .*append\(cart, x\)/);
      rejects('payload.name.toUpperCase()', /only builtins can be called/);
      rejects('constructor', /unknown name "constructor"; known names: /);
      rejects('__proto__', /unknown name "__proto__"/);
      rejects('x => 1', /a lambda \(x => \.\.\.\) is only allowed as the function argument of a builtin/);
      rejects('map(cart, l => { return 1 })', /an object literal holds key: value entries/);
      rejects('payload?.name', /"\?\." is not allowed/);
      rejects('payload.a ?? 1', /operator "\?\?" is not allowed; allowed: /);
      rejects('1 | 2', /operator "\|" is not allowed/);
      rejects('~1', /operator "~" is not allowed; allowed unary operators: ! - \+/);
      rejects('balance++', /"\+\+" is not allowed/);
      rejects('{ [payload.name]: 1 }', /computed keys/);
      rejects('{ a: 1, a: 2 }', /key "a" appears twice/);
      rejects('[1, , 2]', /holes/);
    });
    it('reads inherited names of data as own properties only', () => {
      const e = env();
      assert.equal(evaluate('payload.constructor', e), undefined);
      assert.equal(evaluate('payload.__proto__', e), undefined);
      assert.equal(evaluate('payload.toString', e), undefined);
      assert.equal(evaluate("payload['constructor']", e), undefined);
      assert.equal(evaluate("payload.name['constructor']", e), undefined);
      assert.equal(evaluate("payload.list['map']", e), undefined);
      assert.equal(evaluate('payload.list.map', e), undefined);
      assert.equal(evaluate('data.constructor', e), 'c');
      assert.equal(evaluate('data.toString', e), 't');
      assert.equal(evaluate("data['__proto__']", e), 'p');
      assert.equal(evaluate('self.constructor', e), 'own-ctor');
      assert.equal(evaluate('data.__proto__', ((x) => (ownProto(x.s.data, 'own'), x))(env())), 'own');
    });
    it('writes inherited names as own properties, never the prototype', () => {
      const e = env();
      e.s.data = {};
      evaluate("data.__proto__ = { polluted: 1 }, data.constructor = 'c', data['toString'] = 't', data.valueOf += 1", e, true);
      assert.equal(Object.getPrototypeOf(e.s.data), Object.prototype);
      assert.deepEqual(Object.keys(e.s.data), ['__proto__', 'constructor', 'toString', 'valueOf']);
      assert.deepEqual(Object.getOwnPropertyDescriptor(e.s.data, '__proto__')!.value, { polluted: 1 });
      assert.equal(({} as any).polluted, undefined);
      assert.ok(Number.isNaN(e.s.data.valueOf), 'undefined + 1: the inherited valueOf was not read');
    });
    it('makes an object literal key __proto__ an own key', () => {
      const o = evaluate("{ __proto__: 1, constructor: 'c', 'toString': 't', valueOf: 2 }");
      assert.equal(Object.getPrototypeOf(o), Object.prototype);
      assert.deepEqual(Object.keys(o), ['__proto__', 'constructor', 'toString', 'valueOf']);
      assert.equal(Object.getOwnPropertyDescriptor(o, '__proto__')!.value, 1);
    });
    it('refuses assignments outside effects and to what is not assignable', () => {
      rejects('balance = 1', /assignment "=" is only allowed in effects/);
      rejects('payload.amount = 1', /cannot assign to a field of "payload"; only fields of assignable names can be set \(.*cart.*\)/, true);
      rejects('outcome = 1', /"outcome" cannot be assigned; assignable: balance, cart, data, self\.balance/, true);
      rejects('self.balanse = 1', /unknown member "self.balanse"; did you mean "balance"\?; members of self: balance, constructor, status/, true);
      rejects('balance /= 2', /assignment operator "\/=" is not allowed; allowed: = \+= -= \*=/, true);
      rejects('balance = 1, len(cart)', /an effect must be assignments/, true);
      rejects('balance = (cart = 1)', /only allowed in effects, as a top-level/, true);
      rejects('map(cart, l => l.x = 1)', /only allowed in effects, as a top-level/, true);
      rejects('cart.length = 0', /cannot assign to \.length/, true);
      rejects('self[payload.name] = 1', /use self\.member, not self\[\.\.\.\]/, true);
    });
  });

  describe('errors', () => {
    it('unknown names suggest the nearest known name and list them', () => {
      rejects('balanse > 0', /^events\.e\.guard: unknown name "balanse"; did you mean "balance"\?; known names: balance, cart, data, outcome, payload, self$/);
      rejects('zzz', /unknown name "zzz"; known names: /);
      rejects('self.stauts', /unknown member "self\.stauts"; did you mean "status"\?/);
      rejects('lenn(cart)', /unknown builtin "lenn"; did you mean "len"\?; builtins: abs, append, /);
      rejects("fake('first_nam')", /unknown fake list "first_nam"; did you mean "first_name"\?; lists: city, /);
      rejects('fake(payload.name)', /fake takes a list name in quotes/);
    });
    it('checks the argument count of builtins and where lambdas go', () => {
      rejects('len()', /len takes 1 argument, got 0: len\(list or string\)/);
      rejects('int(1)', /int takes 2 arguments, got 1: int\(min, max\)/);
      rejects('random(1)', /random takes 0 arguments, got 1/);
      rejects('min()', /min takes at least 1 arguments?, got 0/);
      rejects('count(cart, 1)', /argument 2 of count must be a lambda/);
      rejects('map(cart, (a, b, c) => a)', /takes \(item\) or \(item, index\)/);
      rejects('map(cart, len => len)', /would hide the builtin len/);
      rejects('len', /builtin "len" can only be called: len\(list or string\)/);
      rejects('payload(1)', /"payload" is not a builtin and cannot be called/);
    });
    it('syntax errors give the column', () => {
      rejects('self.balance > ', /syntax error at column \d+: Expected expression/);
      rejects('a `b`', /syntax error at column 3: /);
      rejects('/x/', /syntax error at column 1/);
      rejects('', /expected an expression, got an empty one/);
      rejects('1 2', /one expression expected, got 2/);
    });
  });

  describe('determinism', () => {
    it('the same seed gives the same values, another seed other values', () => {
      const source = "[random(), int(1, 1000000), chance(0.5), pick(cart).sku, pick_weighted({ a: 1, b: 2 }), uuid(), lognormal(25, 0.5), product().sku, fake('city')]";
      const a = evaluate(source, env('seed-1'));
      assert.deepEqual(evaluate(source, env('seed-1')), a);
      assert.notDeepEqual(evaluate(source, env('seed-2')), a);
    });
    it('compiles the same source to the same code', () => {
      const s = 'sum(cart, l => l.quantity * l.price_cents) + count(cart, (l, i) => i > 0)';
      assert.equal(compile(s), compile(s));
    });
    it('lists of fakes are the slice lists', () => {
      assert.equal(FAKE_LISTS.first_name, firstNames);
    });
  });

  describe('nearestName', () => {
    it('suggests a name at most 2 edits away, preferring the closest and then the first', () => {
      assert.equal(nearestName('balanse', ['status', 'balance']), 'balance');
      assert.equal(nearestName('cart', ['card', 'cast']), 'card');
      assert.equal(nearestName('xyz', ['balance']), undefined);
      assert.equal(nearestName('ab', ['abc', 'zz']), 'abc');
      assert.equal(nearestName('Balance', ['balance']), 'balance');
      assert.equal(editDistance('kitten', 'sitting'), 3);
      assert.equal(editDistance('', 'abc'), 3);
    });
  });
});
