import assert from 'node:assert/strict';
import { HttpError, toHttpError, describeValue, validatorCompiler } from '../../src/sidecar/index.js';
import { MockjutsuError } from '../../src/core/index.js';

type Check = (data: unknown) => { value?: unknown; error?: Error } | boolean;
const compile = (schema: object, httpPart: 'querystring' | 'body'): Check =>
  validatorCompiler({ schema, httpPart, method: 'GET', url: '/x' }) as Check;

const QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['n'],
  properties: {
    n: { type: 'integer', minimum: 1, maximum: 100, 'x-code': 'INVALID_COUNT' },
    raw: { type: 'boolean' },
    unit: { type: 'string', enum: ['event', 'session'] },
  },
};

describe('sidecar parts', () => {
  describe('validatorCompiler (route schemas -> our 400s)', () => {
    it('coerces a valid query: strict integers, flags, enums', () => {
      assert.deepEqual(compile(QUERY, 'querystring')({ n: '10', raw: 'yes', unit: 'session' }), { value: { n: 10, raw: true, unit: 'session' } });
    });

    it('names the bad parameter and what is allowed', () => {
      const check = compile(QUERY, 'querystring');
      const message = (q: object): string => {
        const r = check(q) as { error: HttpError };
        assert.ok(r.error instanceof HttpError);
        assert.equal(r.error.status, 400);
        return `${r.error.code}: ${r.error.message}`;
      };
      for (const bad of ['1e3', '0x10', '+5', ' 5', '99999999999999999', '0', '101']) {
        assert.equal(message({ n: bad }), `INVALID_COUNT: n is ${JSON.stringify(bad)}; allowed: an integer from 1 to 100`);
      }
      assert.equal(message({ n: '1', raw: 'maybe' }), 'INVALID_QUERY: raw is "maybe"; allowed: 1, true, yes, 0, false, no');
      assert.equal(message({ n: '1', unit: 'x' }), 'INVALID_QUERY: unit is "x"; allowed: event, session');
      assert.equal(message({ n: '1', sead: '1' }), 'INVALID_QUERY: unknown query parameter "sead"; allowed: n, raw, unit');
      assert.equal(message({ n: ['1', '2'] }), 'INVALID_QUERY: query parameter "n" is given twice; give it once');
      assert.equal(message({}), 'INVALID_COUNT: n is missing; allowed: an integer from 1 to 100');
    });

    it('checks bodies without recursing into deep values', () => {
      const check = compile({ type: 'object', additionalProperties: false, properties: { count: { type: 'integer', minimum: 1, maximum: 5 } } }, 'body');
      assert.equal(check({ count: 3 }), true);
      let deep: unknown = 1;
      for (let i = 0; i < 100_000; i++) deep = [deep];
      const r = check({ count: deep }) as { error: HttpError };
      assert.equal(r.error.message, 'count is an array of 1 items nested more than 4 levels deep; allowed: an integer from 1 to 5');
    });
  });

  it('describeValue never recurses without a bound', () => {
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    assert.equal(describeValue(deep), 'an object nested more than 4 levels deep');
    assert.equal(describeValue({ a: [1, 2] }), '{"a":[1,2]}');
    assert.equal(describeValue('x'.repeat(200), 20), `"${'x'.repeat(16)}...`);
  });

  it('maps core errors to 4xx, fastify body errors to ours, anything else to a generic 500', () => {
    assert.equal(toHttpError(new MockjutsuError('UNKNOWN_TYPE', 'x')).status, 404);
    assert.equal(toHttpError(new MockjutsuError('INVALID_COUNT', 'x')).status, 400);
    const tooLarge = toHttpError(Object.assign(new Error('big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 1000);
    assert.deepEqual([tooLarge.status, tooLarge.code, tooLarge.message], [413, 'PAYLOAD_TOO_LARGE', 'request body is larger than the limit; allowed: at most 1000 bytes']);
    const e = toHttpError(new RangeError('secret detail'));
    assert.equal(e.status, 500);
    assert.doesNotMatch(e.message, /secret/);
  });
});
