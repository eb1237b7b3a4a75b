import { derivePrng, pick } from './prng.js';
import { productAdjectives, productMaterials, products, departments } from './data/fakerSlice.generated.js';

/** A product of the seeded catalog. */
export interface Product {
  sku: string;
  name: string;
  department: string;
  /** Price in integer cents (money is never a float in the core). */
  priceCents: number;
}

/** The catalog a seed's sessions shop in: a pure function of (seed, size). */
export function buildCatalog(seed: string, size: number): Product[] {
  const r = derivePrng(seed, 'catalog');
  const catalog: Product[] = [];
  const skus = new Set<string>();
  while (catalog.length < size) {
    const sku = 'SKU-' + String(100000 + Math.floor(r() * 900000));
    if (skus.has(sku)) continue;
    skus.add(sku);
    const name = pick(r, productAdjectives) + ' ' + pick(r, productMaterials) + ' ' + pick(r, products);
    // Log-normal prices around $25 ending in .99 or .49, as shop prices do.
    const dollars = Math.max(0, Math.min(2999, Math.round(Math.exp(Math.log(25) + 0.9 * (r() + r() + r() - 1.5) * 1.6))));
    const priceCents = dollars * 100 + (r() < 0.7 ? 99 : 49);
    catalog.push({ sku, name, department: pick(r, departments), priceCents });
  }
  return catalog;
}
