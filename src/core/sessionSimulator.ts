import { partitionBase, sessionPrng, pick, pickCumulative, type PartitionBase, type Prng } from './prng.js';
import { uuidV4 } from './uuid.js';
import { allowedTransitions, guardMask, type CompiledState, type MarkovModel } from './markovModel.js';
import type { GeneratorConfig } from './generatorOptions.js';
import { LATEST_SESSION_START_MS, activityOffset, formatIsoMs, thinkTimeMs } from './timeModel.js';
import { ProductCatalog, type Product } from './productCatalog.js';
import { UserPool } from './userPool.js';
import { RecordUserPool } from './userRecords.js';
import { SCHEMA_VERSION, type EventPayload, type OrderItem, type Session, type SessionEvent } from './sessionEvent.js';
import { searchAdjectives, searchNouns, productMaterials, products as productNouns } from './data/fakerSlice.generated.js';
import { MockjutsuError } from './mockjutsuError.js';
import { formatCents } from './money.js';
import { slug } from './slug.js';

// Written once in ./money.ts; re-exported here for the callers that imported it from the simulator.
export { formatCents };

interface CartLine { product: Product; quantity: number; }

const REFERRERS: ReadonlyArray<string | null> = [null, null, 'https://www.google.com/', 'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/', 'https://www.facebook.com/', 'https://t.co/', 'https://www.instagram.com/'];
const FAILURE_REASONS = ['card_declined', 'insufficient_funds', 'expired_card', 'authentication_failed', 'processor_timeout'];
const PAYMENT_METHODS = ['card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer'];

function quantityDraw(r: Prng): number {
  const x = r();
  return x < 0.7 ? 1 : x < 0.9 ? 2 : x < 0.97 ? 3 : x < 0.99 ? 4 : 5;
}

function randomIp(r: Prng): string {
  const n = r.int32();
  // Public-looking unicast ranges: first octet 11..223, skipping private 172/192 blocks by construction.
  const a = 11 + ((n >>> 24) % 160);
  return a + '.' + ((n >>> 16) & 255) + '.' + ((n >>> 8) & 255) + '.' + (1 + ((n & 255) % 254));
}

/**
 * Generates sessions. Session k of partition p is a pure function of (config, p, k): it draws
 * from its own PRNG derived from (seed, p, k), so nothing else pulled before changes it.
 */
export class SessionSimulator {
  readonly config: GeneratorConfig;
  private readonly model: MarkovModel;
  private readonly users: UserPool | RecordUserPool;
  private catalogCache: ProductCatalog | undefined;
  private readonly bases = new Map<string, PartitionBase>();
  /** transitions[state][outcome][mask] */
  private readonly transitions: Array<Array<Array<{ targets: number[]; cumulative: number[] }>>>;

  constructor(config: GeneratorConfig) {
    this.config = config;
    this.model = config.model;
    if (config.catalogSize < 2 * this.model.maxCartLines) {
      throw new MockjutsuError('INVALID_OPTION', `catalogSize is ${config.catalogSize}; with max_cart_lines ${this.model.maxCartLines} it must be at least ${2 * this.model.maxCartLines}`, 'catalogSize');
    }
    this.users = config.userRecords !== undefined
      ? new RecordUserPool(config.seed, config.userRecords, config.userCacheSize)
      : new UserPool(config.seed, config.users, config.userCacheSize);
    this.transitions = this.model.states.map((s) => s.outcomes.map((o) => [0, 1, 2, 3].map((mask) => allowedTransitions(this.model, o, mask))));
  }

  private get catalog(): ProductCatalog {
    return (this.catalogCache ??= new ProductCatalog(this.config.seed, this.config.catalogSize));
  }

  /** Start instant (epoch ms) of session k, drawn from that session's PRNG. */
  private sessionStart(r: Prng, k: number): number {
    const c = this.config;
    if (c.spreadMs > 0) {
      return c.startMs + (c.activity === 'flat' ? Math.floor(r() * c.spreadMs) : activityOffset(r, c.startMs, c.spreadMs));
    }
    return c.startMs + k * c.sessionIntervalMs + Math.floor(r() * c.sessionIntervalMs);
  }

  /** Session `k` of `partition`; its events get global positions from `firstPosition` on. */
  simulate(partition: string, k: number, firstPosition: number): Session {
    const c = this.config;
    const model = this.model;
    const states = model.states;
    let base = this.bases.get(partition);
    if (base === undefined) {
      if (this.bases.size >= 4096) this.bases.clear();
      base = partitionBase(c.seed, partition);
      this.bases.set(partition, base);
    }
    const r = sessionPrng(base, k);
    const sessionId = uuidV4(r);
    const correlationId = uuidV4(r);
    const user = this.users.get(Math.floor(r() * c.users));
    const aggregateType = model.aggregateType;
    const streamId = aggregateType + '-' + sessionId;
    const ip = randomIp(r);
    const currency = c.currency;
    const catalog = this.catalog;
    const startMs = this.sessionStart(r, k);
    if (startMs > LATEST_SESSION_START_MS) {
      throw new MockjutsuError('INVALID_OPTION', `session ${k} would start at ${startMs} ms, after 9998-12-31 (start + session x sessionIntervalMs); allowed: a session index whose start stays a year before 9999-12-31, i.e. at most ${Math.floor((LATEST_SESSION_START_MS - c.startMs) / c.sessionIntervalMs) - 1} here, or an earlier start`, 'session');
    }

    const events: Session = [];
    const cart: CartLine[] = [];
    let order: { id: string; totalCents: number; attempts: number } | null = null;
    let viewed: Product | null = null;
    let lastUrl: string | null = null;
    let lastQuery: string | null = null;
    let ts = startMs;
    let previousId: string | null = null;
    let state: CompiledState = states[model.start]!;
    let capped = false;

    for (let version = 1; ; version++) {
      const outcomeIndex = state.outcomes.length > 1 ? pickCumulative(r, state.outcomeCumulative) : 0;
      const outcomeName = state.outcomes.length > 0 ? state.outcomes[outcomeIndex]!.name : '';
      const eventId = uuidV4(r);
      let payload: EventPayload;
      switch (state.role) {
        case 'login':
          payload = { auth_method: r() < 0.85 ? user.preferred_auth : 'password', ip, user_agent: user.user_agent };
          break;
        case 'page_view': {
          const x = r();
          let url: string;
          let pageType: string;
          if (cart.length > 0 && x < 0.12) {
            url = c.siteUrl + '/cart';
            pageType = 'cart';
          } else if (x < 0.22) {
            url = c.siteUrl + '/';
            pageType = 'home';
          } else if (x < 0.45) {
            url = c.siteUrl + '/c/' + slug(catalog.draw(r).department);
            pageType = 'category';
          } else {
            viewed = catalog.draw(r);
            url = c.siteUrl + '/p/' + viewed.sku;
            pageType = 'product';
          }
          const referrer: string | null = lastUrl ?? (lastQuery !== null ? c.siteUrl + '/search?q=' + encodeURIComponent(lastQuery) : pick(r, REFERRERS));
          payload = { url, referrer, page_type: pageType };
          lastUrl = url;
          break;
        }
        case 'search': {
          const x = r();
          const query = x < 0.5
            ? pick(r, searchAdjectives) + ' ' + pick(r, productNouns).toLowerCase()
            : x < 0.8 ? pick(r, productMaterials).toLowerCase() + ' ' + pick(r, productNouns).toLowerCase()
              : pick(r, searchNouns);
          const y = r();
          const resultCount = y < 0.08 ? 0 : Math.floor(Math.exp(r() * 5.5)); // 1..244, most below 50
          payload = { query, result_count: resultCount };
          lastQuery = query;
          lastUrl = c.siteUrl + '/search?q=' + encodeURIComponent(query);
          break;
        }
        case 'add_to_cart': {
          let line: CartLine;
          const quantity = quantityDraw(r);
          if (cart.length < model.maxCartLines) {
            let p: Product = viewed !== null && r() < 0.8 ? viewed : catalog.draw(r);
            while (cart.some((l) => l.product === p)) p = catalog.draw(r);
            line = { product: p, quantity };
            cart.push(line);
          } else {
            line = pick(r, cart);
            line.quantity += quantity;
          }
          payload = { sku: line.product.sku, name: line.product.name, quantity, unit_price: formatCents(line.product.priceCents), currency };
          order = null; // a changed cart needs a new checkout
          break;
        }
        case 'remove_from_cart': {
          const i = Math.floor(r() * cart.length);
          const line = cart[i]!;
          cart.splice(i, 1);
          payload = { sku: line.product.sku, quantity: line.quantity };
          order = null;
          break;
        }
        case 'checkout': {
          const items: OrderItem[] = [];
          let total = 0;
          let count = 0;
          for (const l of cart) {
            items.push({ sku: l.product.sku, name: l.product.name, quantity: l.quantity, unit_price: formatCents(l.product.priceCents) });
            total += l.quantity * l.product.priceCents;
            count += l.quantity;
          }
          order = { id: uuidV4(r), totalCents: total, attempts: 0 };
          payload = { order_id: order.id, items, item_count: count, total: formatCents(total), currency };
          break;
        }
        case 'payment': {
          const o = order!;
          o.attempts++;
          const method = r() < 0.8 ? user.preferred_payment : pick(r, PAYMENT_METHODS);
          if (outcomeName === 'failed') {
            payload = { order_id: o.id, amount: formatCents(o.totalCents), currency, method, status: 'failed', attempt: o.attempts, failure_reason: pick(r, FAILURE_REASONS) };
          } else {
            payload = { order_id: o.id, amount: formatCents(o.totalCents), currency, method, status: 'success', attempt: o.attempts };
            cart.length = 0;
            order = null;
          }
          break;
        }
        case 'logout':
          payload = { reason: capped ? 'max_steps' : r() < 0.7 ? 'user' : 'timeout', session_duration_ms: ts - startMs };
          break;
        default:
          payload = outcomeName === '' ? {} : { outcome: outcomeName };
      }
      const event: SessionEvent = {
        event_id: eventId,
        event_type: state.name,
        stream_id: streamId,
        aggregate_type: aggregateType,
        aggregate_id: sessionId,
        stream_version: version,
        global_position: firstPosition + version - 1,
        correlation_id: correlationId,
        causation_id: previousId,
        session_id: sessionId,
        user_id: user.user_id,
        timestamp: formatIsoMs(ts),
        schema_version: SCHEMA_VERSION,
        payload,
      };
      events.push(event);
      if (state.index === model.terminal) break;
      previousId = eventId;

      let next: number;
      if (version >= model.maxSteps - 1) {
        next = model.terminal;
        capped = true;
      } else {
        const mask = guardMask(cart.length, order !== null);
        const t = this.transitions[state.index]![outcomeIndex]![mask]!;
        next = t.targets.length === 1 ? t.targets[0]! : t.targets[pickCumulative(r, t.cumulative)]!;
      }
      ts += thinkTimeMs(r, state.thinkMedianMs, state.thinkSigma);
      state = states[next]!;
    }
    return events;
  }
}
