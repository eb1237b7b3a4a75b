import type { DomainDefinition } from '../domain/domainDefinition.js';

const money = { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' };
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };

/**
 * The e-commerce shop of the event contract, written only in the public domain language (no
 * special cases in the core). Money is integer cents in the state and a two-decimal string in
 * payloads; checkout's total is the sum of quantity x unit price of the cart, payment's amount
 * that total. `mockjutsu domain --print shop` writes it as a starting point.
 */
export const shopDomain: DomainDefinition = {
  domain: 'shop',
  description: 'Shopping sessions: login, browse and search, cart, checkout, payment (retried when it fails), logout.',
  params: { currency: 'USD', site_url: 'https://shop.example.com', max_cart_lines: 8 },
  aggregates: {
    ShoppingSession: { stream_id: 'ShoppingSession-{id}', id: 'session' },
  },
  session: { cart: [], order: null, viewed: null, last_url: null },
  chain: {
    start: 'login',
    terminal: 'logout',
    max_steps: 200,
    states: {
      login: { think_time: { median_ms: 2500, sigma: 0.5 }, transitions: { page_view: 60, search: 35, logout: 2 } },
      page_view: { think_time: { median_ms: 9000, sigma: 0.8 }, transitions: { page_view: 34, search: 18, add_to_cart: 22, remove_from_cart: 3, checkout: 6, logout: 10 } },
      search: { think_time: { median_ms: 6000, sigma: 0.7 }, transitions: { page_view: 55, search: 14, add_to_cart: 16, logout: 7 } },
      add_to_cart: { think_time: { median_ms: 4000, sigma: 0.6 }, transitions: { page_view: 30, search: 14, add_to_cart: 14, remove_from_cart: 7, checkout: 28, logout: 5 } },
      remove_from_cart: { think_time: { median_ms: 3000, sigma: 0.6 }, transitions: { page_view: 34, search: 10, add_to_cart: 20, checkout: 16, logout: 10 } },
      checkout: { think_time: { median_ms: 20000, sigma: 0.5 }, transitions: { payment: 86, page_view: 7, logout: 7 } },
      payment: {
        think_time: { median_ms: 4000, sigma: 0.5 },
        outcomes: {
          success: { weight: 85, transitions: { page_view: 25, search: 5, logout: 70 } },
          failed: { weight: 15, transitions: { payment: 65, logout: 35 } },
        },
      },
      logout: {},
    },
  },
  events: {
    login: {
      instance: 'new',
      payload: {
        schema: {
          type: 'object', required: ['auth_method', 'ip', 'user_agent'],
          properties: { auth_method: { type: 'string' }, ip: { type: 'string', format: 'ipv4' }, user_agent: { type: 'string' } },
        },
        fields: { auth_method: "chance(0.85) ? user.preferred_auth : 'password'", user_agent: 'user.user_agent' },
      },
    },
    page_view: {
      let: {
        x: 'random()',
        page_type: "len(cart) > 0 && x < 0.12 ? 'cart' : x < 0.22 ? 'home' : x < 0.45 ? 'category' : 'product'",
        item: "page_type == 'category' || page_type == 'product' ? product() : null",
      },
      payload: {
        schema: {
          type: 'object', required: ['url', 'referrer', 'page_type'],
          properties: { url: { type: 'string', format: 'uri' }, referrer: { type: ['string', 'null'], format: 'uri' }, page_type: { enum: ['home', 'category', 'product', 'cart'] } },
        },
        fields: {
          url: "params.site_url + (page_type == 'cart' ? '/cart' : page_type == 'home' ? '/' : page_type == 'category' ? '/c/' + slug(item.department) : '/p/' + item.sku)",
          referrer: "last_url != null ? last_url : pick([null, null, 'https://www.google.com/', 'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/', 'https://www.facebook.com/', 'https://t.co/', 'https://www.instagram.com/'])",
          page_type: 'page_type',
        },
      },
      effects: ["viewed = page_type == 'product' ? item : viewed", 'last_url = payload.url'],
    },
    search: {
      let: {
        x: 'random()',
        query: "x < 0.5 ? fake('search_adjective') + ' ' + lower(fake('product_noun')) : x < 0.8 ? lower(fake('product_material')) + ' ' + lower(fake('product_noun')) : fake('search_noun')",
      },
      payload: {
        schema: { type: 'object', required: ['query', 'result_count'], properties: { query: { type: 'string' }, result_count: { type: 'integer', minimum: 0 } } },
        fields: { query: 'query', result_count: 'chance(0.08) ? 0 : floor(lognormal(12, 1.1))' },
      },
      effects: ["last_url = params.site_url + '/search?q=' + url_encode(query)"],
    },
    add_to_cart: {
      guard: 'len(cart) < params.max_cart_lines',
      let: {
        item: 'viewed != null && chance(0.8) ? viewed : product()',
        line: 'find(cart, l => l.sku == item.sku)',
        // pick_weighted([1, 2, 3, 4, 5], [70, 20, 7, 2, 1]) spelt out: the same draw and values, no list walk
        q: 'random() * 100',
        quantity: 'q < 70 ? 1 : q < 90 ? 2 : q < 97 ? 3 : q < 99 ? 4 : 5',
      },
      payload: {
        schema: {
          type: 'object', required: ['sku', 'name', 'quantity', 'unit_price', 'currency'],
          properties: { sku: { type: 'string' }, name: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, unit_price: money, currency },
        },
        fields: { sku: 'item.sku', name: 'item.name', quantity: 'quantity', unit_price: 'format_cents(item.priceCents)', currency: 'params.currency' },
      },
      effects: [
        'line != null ? (line.quantity = line.quantity + quantity) : (cart = append(cart, { sku: item.sku, name: item.name, quantity: quantity, price_cents: item.priceCents }))',
        'order = null', // a changed cart needs a new checkout
      ],
    },
    remove_from_cart: {
      guard: 'len(cart) > 0',
      let: { i: 'int(0, len(cart) - 1)' },
      payload: {
        schema: { type: 'object', required: ['sku', 'quantity'], properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } },
        fields: { sku: 'cart[i].sku', quantity: 'cart[i].quantity' },
      },
      effects: ['cart = remove_at(cart, i)', 'order = null'],
    },
    checkout: {
      guard: 'len(cart) > 0',
      let: { total: 'sum(cart, l => l.quantity * l.price_cents)' },
      payload: {
        schema: {
          type: 'object', required: ['order_id', 'items', 'item_count', 'total', 'currency'],
          properties: {
            order_id: { type: 'string', format: 'uuid' },
            items: {
              type: 'array', minItems: 1,
              items: { type: 'object', required: ['sku', 'name', 'quantity', 'unit_price'], properties: { sku: { type: 'string' }, name: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, unit_price: money } },
            },
            item_count: { type: 'integer', minimum: 1 },
            total: money,
            currency,
          },
        },
        fields: {
          order_id: 'uuid()',
          items: 'map(cart, l => ({ sku: l.sku, name: l.name, quantity: l.quantity, unit_price: format_cents(l.price_cents) }))',
          item_count: 'sum(cart, l => l.quantity)',
          total: 'format_cents(total)',
          currency: 'params.currency',
        },
      },
      effects: ['order = { id: payload.order_id, total_cents: total, attempts: 0 }'],
    },
    payment: {
      guard: 'order != null',
      payload: {
        schema: {
          type: 'object', required: ['order_id', 'amount', 'currency', 'method', 'status', 'attempt'],
          properties: {
            order_id: { type: 'string', format: 'uuid' }, amount: money, currency,
            method: { enum: ['card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer'] },
            status: { enum: ['success', 'failed'] }, attempt: { type: 'integer', minimum: 1 },
            failure_reason: { enum: ['card_declined', 'insufficient_funds', 'expired_card', 'authentication_failed', 'processor_timeout'] },
          },
        },
        fields: {
          order_id: 'order.id',
          amount: 'format_cents(order.total_cents)',
          currency: 'params.currency',
          method: "chance(0.8) ? user.preferred_payment : pick(['card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer'])",
          status: 'outcome',
          attempt: 'order.attempts + 1',
          failure_reason: "outcome == 'failed' ? pick(['card_declined', 'insufficient_funds', 'expired_card', 'authentication_failed', 'processor_timeout']) : undefined",
        },
      },
      effects: [
        'order.attempts = payload.attempt',
        // a successful payment places the order: the cart is emptied; a failed one keeps both
        "cart = outcome == 'success' ? [] : cart",
        "order = outcome == 'success' ? null : order",
      ],
    },
    logout: {
      payload: {
        schema: { type: 'object', required: ['reason', 'session_duration_ms'], properties: { reason: { enum: ['user', 'timeout', 'max_steps'] }, session_duration_ms: { type: 'integer', minimum: 0 } } },
        fields: { reason: "capped ? 'max_steps' : chance(0.7) ? 'user' : 'timeout'", session_duration_ms: 'time - session_start' },
      },
    },
  },
};
