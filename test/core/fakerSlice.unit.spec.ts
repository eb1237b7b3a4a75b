import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-ignore: a build script in plain JS
import { renderFakerSlice, SLICE_PATH } from '../../scripts/sliceFakerData.mjs';
import { createGenerator } from '../../src/index.js';
import * as slice from '../../src/core/data/fakerSlice.generated.js';

describe('core: faker data slice', () => {
  it('the committed slice is what the installed @faker-js/faker produces', async () => {
    assert.equal(readFileSync(SLICE_PATH, 'utf8'), await renderFakerSlice());
  });

  it('payloads draw from faker data, not a handful of strings', () => {
    const g = createGenerator({ seed: 'variety', users: 5000 });
    const agents = new Set<string>();
    const queries = new Set<string>();
    const products = new Set<string>();
    for (let k = 0; k < 3000; k++) {
      for (const e of g.session(0, k)) {
        const p = e.payload as any;
        if (e.event_type === 'login') agents.add(p.user_agent);
        if (e.event_type === 'search') queries.add(p.query);
        if (e.event_type === 'add_to_cart') products.add(p.name);
      }
    }
    assert.ok(agents.size > 40, `user agents: ${agents.size}`);
    assert.ok(queries.size > 2000, `queries: ${queries.size}`);
    assert.ok(products.size > 300, `products: ${products.size}`);
    for (const a of agents) assert.ok(slice.userAgents.includes(a));
  });
});

describe('core: product catalog', () => {
  it('has unique SKUs and stable products, built lazily from (seed, i)', async () => {
    const { buildCatalog, ProductCatalog } = await import('../../src/index.js');
    const all = buildCatalog('catalog', 100_000);
    assert.equal(new Set(all.map((p) => p.sku)).size, 100_000);
    const lazy = new ProductCatalog('catalog', 100_000);
    assert.deepEqual(lazy.get(77_777), all[77_777]);
    assert.equal(lazy.get(5), lazy.get(5));
    for (const p of all.slice(0, 1000)) {
      assert.match(p.sku, /^SKU-\d{6}$/);
      assert.ok(p.priceCents % 100 === 99 || p.priceCents % 100 === 49);
    }
  });
});
