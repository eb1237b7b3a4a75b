import { partitionBase, sessionPrng, pick, type PartitionBase } from './prng.js';
import { productAdjectives, productMaterials, products, departments } from './data/fakerSlice.generated.js';

/** A product of the seeded catalog. */
export interface Product {
  sku: string;
  name: string;
  department: string;
  /** Price in integer cents (money is never a float in the core). */
  priceCents: number;
}

// SKU numbers are a permutation of the product index (an affine map modulo 900,000 with a
// multiplier coprime to it), so SKUs are unique without a set and product i needs no other.
const SKU_SPAN = 900_000;
const SKU_MULTIPLIER = 480_203; // prime, and coprime with 900,000 = 2^5 * 3^2 * 5^5
const floor = Math.floor; // bound once: cheaper in goja (k6) than a global lookup per call

/**
 * The catalog a seed's sessions shop in. Product i is a pure function of (seed, i), built the
 * first time it is drawn: a fresh seed costs nothing up front (the sidecar answers unseeded
 * requests with a new seed each time) and a k6 VU holds only the products it met.
 */
export class ProductCatalog {
  private readonly base: PartitionBase;
  private readonly items: Array<Product | undefined>;
  private readonly skuOffset: number;

  constructor(seed: string, readonly size: number) {
    this.base = partitionBase(seed, '\u0000catalog');
    this.items = new Array<Product | undefined>(size);
    this.skuOffset = this.base[0] % SKU_SPAN;
  }

  /** Product `i` (0 <= i < size); the same object every time. */
  get(i: number): Product {
    let p = this.items[i];
    if (p === undefined) {
      const r = sessionPrng(this.base, i);
      const sku = 'SKU-' + (100_000 + ((i * SKU_MULTIPLIER + this.skuOffset) % SKU_SPAN));
      const name = pick(r, productAdjectives) + ' ' + pick(r, productMaterials) + ' ' + pick(r, products);
      // Log-normal-ish prices around $25 ending in .99 or .49, as shop prices do.
      const dollars = Math.max(0, Math.min(2999, Math.round(Math.exp(Math.log(25) + 0.9 * (r() + r() + r() - 1.5) * 1.6))));
      const priceCents = dollars * 100 + (r() < 0.7 ? 99 : 49);
      p = { sku, name, department: pick(r, departments), priceCents };
      this.items[i] = p;
    }
    return p;
  }

  /** A uniformly drawn product. */
  draw(r: () => number): Product {
    return this.get(floor(r() * this.size));
  }
}

/** The first `size` products of a seed's catalog, as an array. */
export function buildCatalog(seed: string, size: number): Product[] {
  const c = new ProductCatalog(seed, size);
  const out: Product[] = [];
  for (let i = 0; i < size; i++) out.push(c.get(i));
  return out;
}
