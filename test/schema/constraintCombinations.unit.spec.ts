// Random combinations of number and string constraints (a fixed LCG, so the same cases every
// run): each either compiles and then only makes values ajv accepts, or fails at compile time
// with UNSATISFIABLE_SCHEMA; nothing fails later, at generation time.
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { compileSchema, MockjutsuError } from '../../src/index.js';

const addFormats = addFormatsModule as unknown as (ajv: object) => void;

describe('schema: random constraint combinations', () => {
  it('1,600 schemas x 40 values: 0 invalid, 0 generation-time errors', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    let state = 1;
    const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let compiled = 0, refused = 0, invalid = 0, late = 0;
    let example = '';
    for (let i = 0; i < 800; i++) {
      const n: Record<string, unknown> = { type: pick(['integer', 'number']) };
      if (rnd() < 0.6) n.minimum = pick([-5, 0, 0.5, 1, 3, 10, 1e6, -1e3]);
      if (rnd() < 0.6) n.maximum = pick([-1, 0, 1, 2.5, 7, 100, 1e7]);
      if (rnd() < 0.3) n.exclusiveMinimum = pick([-2, 0, 1, 2.5]);
      if (rnd() < 0.3) n.exclusiveMaximum = pick([1, 3, 8, 99.5]);
      if (rnd() < 0.5) n.multipleOf = pick([0.01, 0.1, 0.25, 0.5, 1, 2, 3, 7, 1.5, 0.3]);
      const s: Record<string, unknown> = { type: 'string' };
      if (rnd() < 0.5) s.minLength = pick([0, 1, 3, 8, 30]);
      if (rnd() < 0.5) s.maxLength = pick([0, 2, 5, 10, 40]);
      if (rnd() < 0.4) s.format = pick(['email', 'uuid', 'date', 'date-time', 'ipv4', 'hostname', 'uri']);
      if (rnd() < 0.3) s.pattern = pick(['^[a-z]+$', '^[0-9]{3,5}$', 'x', '^(ab|cd)*$']);
      for (const schema of [n, s]) {
        let g;
        try {
          g = compileSchema(schema, { seed: i });
        } catch (e) {
          assert.ok(e instanceof MockjutsuError && e.code === 'UNSATISFIABLE_SCHEMA' && e.path!.startsWith('#'), String(e));
          refused++;
          continue;
        }
        compiled++;
        const validate = ajv.compile(schema);
        try {
          for (let k = 0; k < 40; k++) {
            const v = g.value(k);
            if (!validate(v)) {
              invalid++;
              example ||= `${JSON.stringify(schema)} -> ${JSON.stringify(v)}`;
            }
          }
        } catch (e) {
          late++;
          example ||= `${JSON.stringify(schema)} threw ${(e as Error).message}`;
        }
      }
    }
    assert.equal(invalid, 0, example);
    assert.equal(late, 0, example);
    assert.equal(compiled + refused, 1600);
    assert.ok(compiled > 1000 && refused > 300, `compiled ${compiled}, refused ${refused}`);
  });

  it('1,500 nested schemas (objects, arrays, allOf, oneOf, anyOf, contains, uniqueItems...) x 25 values: 0 invalid, 0 late errors', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    let state = 7;
    const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const leaf = (): unknown => pick<unknown>([{ type: 'integer', minimum: 0, maximum: 3 }, { type: 'string', maxLength: 4 }, { enum: ['a', 'b', 'c'] }, { type: 'boolean' }, { const: 1 }, { type: ['string', 'null'] }, {}]);
    const arr = (d: number): Record<string, unknown> => {
      const s: Record<string, unknown> = { type: 'array', items: node(d + 1) };
      if (rnd() < 0.4) s.minItems = pick([0, 1, 2, 4]);
      if (rnd() < 0.4) s.maxItems = pick([0, 1, 3, 5]);
      if (rnd() < 0.3) s.uniqueItems = true;
      if (rnd() < 0.2) s.contains = leaf();
      if (rnd() < 0.2) { s.prefixItems = [leaf(), leaf()]; if (rnd() < 0.5) s.items = false; }
      return s;
    };
    const obj = (d: number): Record<string, any> => {
      const s: Record<string, any> = { type: 'object', properties: {} };
      const n = Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) s.properties['p' + i] = node(d + 1);
      if (rnd() < 0.5) s.required = Object.keys(s.properties).filter(() => rnd() < 0.5);
      if (rnd() < 0.3) s.additionalProperties = pick<unknown>([false, leaf(), true]);
      if (rnd() < 0.2) s.patternProperties = { '^q[0-9]$': leaf() };
      if (rnd() < 0.2) s.minProperties = pick([1, 2, 5]);
      if (rnd() < 0.2) s.maxProperties = pick([0, 1, 2]);
      if (rnd() < 0.15) s.required = [...(s.required ?? []), 'zz'];
      return s;
    };
    const node = (d: number): unknown => {
      if (d > 3) return leaf();
      const r = rnd();
      if (r < 0.3) return obj(d);
      if (r < 0.5) return arr(d);
      if (r < 0.6) return { oneOf: [{ type: 'integer', minimum: 0, maximum: 3 }, { type: 'object', required: ['k'], properties: { k: { const: d } } }] };
      if (r < 0.7) return { allOf: [obj(d), { properties: { x: { type: 'integer', minimum: 5 } } }] };
      if (r < 0.75) return { anyOf: [leaf(), arr(d)] };
      return leaf();
    };
    let compiled = 0, refused = 0, invalid = 0, late = 0;
    let example = '';
    for (let i = 0; i < 1500; i++) {
      const schema = node(0);
      let g;
      try {
        g = compileSchema(schema as object, { seed: i });
      } catch (e) {
        assert.ok(e instanceof MockjutsuError && e.path !== undefined, String(e));
        refused++;
        continue;
      }
      compiled++;
      const validate = ajv.compile(schema as object);
      try {
        for (let k = 0; k < 25; k++) {
          const v = g.value(k);
          if (!validate(v)) {
            invalid++;
            example ||= `${JSON.stringify(schema)} -> ${JSON.stringify(v)}`;
          }
        }
      } catch (e) {
        late++;
        example ||= `${JSON.stringify(schema)} threw ${(e as Error).message}`;
      }
    }
    assert.equal(invalid, 0, example);
    assert.equal(late, 0, example);
    assert.ok(compiled > 1000, `compiled ${compiled}, refused ${refused}`);
  });
});
