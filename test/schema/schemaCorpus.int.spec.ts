// Every corpus schema, many seeds: realistic events validate with ajv + ajv-formats, 0 invalid.
import assert from 'node:assert/strict';
import { compileSchema } from '../../src/index.js';
import { CORPUS, loadEntry, validatorFor } from './schemaCorpus.js';

const SEEDS = 12;
const PER_SEED = 250;

describe('schema corpus: realistic events validate (ajv + ajv-formats)', () => {
  it('holds at least 25 schemas', () => {
    assert.ok(new Set(CORPUS.map((e) => e.file)).size >= 25, `only ${CORPUS.length}`);
  });

  for (const entry of CORPUS) {
    it(`${entry.file}${entry.ref ? ' ' + entry.ref : ''}: ${SEEDS * PER_SEED} events, 0 invalid`, async () => {
      const doc = await loadEntry(entry);
      const validate = validatorFor(doc, entry.ref);
      // the validator itself must be able to say no
      assert.equal(validate(Symbol.for('not json') as unknown), false);
      let invalid = 0;
      let example = '';
      for (let s = 0; s < SEEDS; s++) {
        const g = compileSchema(doc, { ref: entry.ref, seed: `corpus-${s}` });
        const stream = g.stream(s % 3);
        for (let i = 0; i < PER_SEED; i++) {
          const v = stream.next();
          if (!validate(v)) {
            invalid++;
            example ||= JSON.stringify(v) + ' ' + JSON.stringify(validate.errors);
          }
        }
      }
      assert.equal(invalid, 0, example);
    });
  }

  it('the order event resolves $refs across its two files (Money, Address, Customer from common.yaml)', async () => {
    const doc = await loadEntry({ file: 'openapi-order/order-event.yaml' });
    const e = compileSchema(doc, { ref: 'OrderCreated', seed: 3 }).value(0) as any;
    assert.deepEqual(Object.keys(e.total).sort(), ['amount', 'currency']);
    assert.deepEqual(Object.keys(e.shippingAddress).sort(), ['city', 'country', 'postalCode', 'street']);
    assert.match(e.shippingAddress.postalCode, /^[0-9]{5}$/);
    assert.match(e.customer.email, /^[a-z0-9.]+@[a-z.]+$/);
  });

  it('recursive schemas stop at maxRecursionDepth', async () => {
    const doc = await loadEntry({ file: 'recursive-tree.json' });
    const depthOf = (c: any): number => Math.max(0, ...c.children.map((x: any) => 1 + depthOf(x)), c.parent ? 1 + depthOf(c.parent) : 0);
    const listLength = (n: any): number => (n === null ? 0 : 1 + listLength(n.next));
    for (const limit of [0, 1, 3]) {
      const g = compileSchema(doc, { seed: 5, maxRecursionDepth: limit });
      let deepest = 0, longest = 0;
      for (let i = 0; i < 300; i++) {
        const v = g.value(i) as any;
        deepest = Math.max(deepest, depthOf(v.root));
        longest = Math.max(longest, listLength(v.list));
      }
      // at the limit only required fields are generated: children [] and next null
      assert.equal(deepest, limit, `limit ${limit}`);
      assert.equal(longest, limit + 1, `limit ${limit}: list of ${longest}`);
    }
  });
});
