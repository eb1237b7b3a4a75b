// Random combinations of number and string constraints (a fixed LCG, so the same cases every
// run): each either compiles and then only makes values ajv accepts, or fails at compile time
// with UNSATISFIABLE_SCHEMA; nothing fails later, at generation time.
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
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
});
