// A test domain that gives a serializer every hard case: renamed and dropped envelope fields, two
// aggregates (streams alternate), optional fields, nested arrays and objects, values of other
// types than the schema's, keys the schema does not know, `__proto__` and `constructor` keys,
// and strings with quotes, backslashes, control characters, non-ASCII and lone surrogates.
import type { DomainDefinition } from '../../src/core/domain/domainDefinition.js';

/** Strings JSON must escape (or must not): each is drawn into payloads. */
export const WEIRD_STRINGS: readonly string[] = [
  'plain', 'say "hi"', 'back\\slash\\', 'ctrl \u0000\u0001\u001f\u007f', 'tab\t nl\n cr\r', "Côte d'Ivoire 東京 😀",
  'line\u2028sep\u2029', 'lone \ud800 high', 'lone \udc00 low', '</script>', '', 'x'.repeat(45) + '"', 'y'.repeat(60),
];

const text = { type: 'string' };
export const weirdDomain: DomainDefinition = {
  domain: 'weird',
  envelope: { fields: { event_type: 'eventType', stream_id: 'streamId', stream_version: 'version', timestamp: 'occurredAt', schema_version: false, correlation_id: false } },
  params: { texts: WEIRD_STRINGS },
  aggregates: {
    Thing: { stream_id: 'Thing "{id}" \\ é', id: { sequence: { prefix: 'T-', digits: 4 } }, state: { n: 0 } },
    Other: { stream_id: 'Other-{id}', state: { m: 0 } },
  },
  session: { log: [] },
  chain: {
    start: 'created',
    terminal: 'closed',
    max_steps: 24,
    states: {
      created: { transitions: { changed: 4, noted: 2, opened: 2, raw: 1, closed: 1 } },
      opened: { transitions: { changed: 2, noted: 2, poked: 3, closed: 1 } },
      changed: { transitions: { changed: 2, noted: 2, poked: 2, raw: 1, closed: 1 } },
      noted: { transitions: { changed: 2, opened: 1, poked: 2, closed: 1 } },
      raw: { transitions: { changed: 1, closed: 1 } },
      poked: { outcomes: { ok: { weight: 3, transitions: { changed: 1, poked: 1, closed: 1 } }, 'no-way': { weight: 1, transitions: { noted: 1, closed: 1 } } } },
      closed: {},
    },
  },
  events: {
    created: {
      instance: 'new',
      payload: {
        schema: {
          type: 'object',
          properties: {
            name: text, ['__proto__']: text, constructor: text, toString: { type: 'integer' },
            tags: { type: 'array', items: text },
            meta: { type: 'object', properties: { a: { type: 'integer' }, b: { type: ['string', 'null'] }, constructor: { type: 'boolean' } } },
            '1': { type: 'number' }, 'with "quote"': text,
          },
        },
        fields: {
          name: 'pick(params.texts)',
          ['__proto__']: 'chance(0.7) ? pick(params.texts) : undefined',
          constructor: 'pick(params.texts)',
          toString: 'chance(0.8) ? int(-5, 5) : pick(params.texts)',
          tags: 'chance(0.2) ? [] : [pick(params.texts), pick(params.texts), undefined, null, 3]',
          meta: "chance(0.5) ? { a: int(0, 9), b: chance(0.5) ? null : pick(params.texts), constructor: chance(0.5) } : chance(0.5) ? { b: 'only b', a: 1 } : { a: 2, extra: 'not in the schema' }",
          '1': 'chance(0.5) ? random() * 1e22 : chance(0.5) ? 0 * -1 : random()',
          'with "quote"': "chance(0.9) ? pick(params.texts) : 12",
        },
      },
    },
    opened: { aggregate: 'Other', instance: 'new', payload: { schema: { type: 'object', properties: { label: text } }, fields: { label: 'pick(params.texts)' } } },
    changed: {
      aggregate: 'Thing',
      let: { d: 'int(-3, 9)' },
      payload: {
        schema: {
          type: 'object', required: ['delta'],
          properties: {
            delta: { type: 'integer' }, ok: { type: 'boolean' }, note: { type: ['string', 'null'] },
            lines: { type: 'array', items: { type: 'object', properties: { sku: text, qty: { type: 'integer' }, sub: { type: 'array', items: { type: 'array', items: { type: 'number' } } } } } },
            log: { type: 'array' },
          },
        },
        fields: {
          delta: 'd',
          ok: "chance(0.1) ? 'yes' : d > 0",
          note: 'chance(0.3) ? null : chance(0.5) ? pick(params.texts) : undefined',
          lines: "map([1, 2, 3], i => chance(0.9) ? { sku: pick(params.texts), qty: i, sub: [[i, random()], []] } : { qty: i, sku: 'reordered' })",
          log: 'log',
        },
      },
      effects: ['self.n = self.n + payload.delta'],
    },
    noted: {
      aggregate: 'Other',
      payload: { schema: { type: 'object', properties: { text: text, count: { type: 'integer' } } }, fields: { text: 'pick(params.texts)' } },
    },
    raw: { payload: { schema: { type: 'object' }, fields: {} } },
    poked: { aggregate: 'Thing' },
    closed: { payload: { schema: { type: 'object', properties: { total: { type: 'integer' }, when: text } }, fields: { total: 'step', when: 'session_id' } } },
  },
};
