import assert from 'node:assert/strict';
import { LruCache, Router, QueryParams, HttpError, toHttpError, type SidecarRoute } from '../../src/sidecar/index.js';
import { MockjutsuError } from '../../src/core/index.js';

const noop = (): void => {};
const r = (method: SidecarRoute['method'], path: string): SidecarRoute => ({ method, path, handler: noop });

describe('sidecar parts', () => {
  describe('LruCache', () => {
    it('given more entries than it holds, when read and written, then the least recently used goes first', () => {
      const c = new LruCache<string, number>(2);
      c.set('a', 1);
      c.set('b', 2);
      assert.equal(c.get('a'), 1); // a is now the most recent
      c.set('c', 3);
      assert.equal(c.has('b'), false);
      assert.deepEqual([c.get('a'), c.get('c')], [1, 3]);
    });

    it('bounds total weight too, and never keeps a value heavier than the bound', () => {
      const c = new LruCache<string, string>(10, 10, (v) => v.length);
      c.set('a', 'xxxx');
      c.set('b', 'yyyy');
      c.set('c', 'zzzz');
      assert.deepEqual([c.has('a'), c.has('b'), c.has('c')], [false, true, true]);
      c.set('big', 'x'.repeat(11));
      assert.equal(c.has('big'), false);
      assert.equal(c.size, 2);
    });
  });

  describe('Router', () => {
    const router = new Router().add(r('GET', '/health'), r('GET', '/sessions/:key/next'), r('POST', '/streams/:id'), r('GET', '/streams/:id'), r('GET', '/all'));

    it('matches literal and parameter paths, percent-decoding parameters', () => {
      const m = router.match('GET', '/sessions/a%2Fb%20c/next');
      assert.ok(m && 'route' in m);
      assert.deepEqual(m.params, { key: 'a/b c' });
      const h = router.match('HEAD', '/health');
      assert.ok(h && 'route' in h && h.route.path === '/health');
    });

    it('tells a wrong method (with the allowed ones) from an unknown path', () => {
      assert.deepEqual(router.match('DELETE', '/streams/x'), { allow: ['POST', 'GET', 'HEAD', 'OPTIONS'] });
      assert.equal(router.match('GET', '/sessions//next'), undefined);
      assert.equal(router.match('GET', '/sessions/a/next/x'), undefined);
    });

    it('rejects bad percent-encoding with a 400 and duplicate routes at registration', () => {
      assert.throws(() => router.match('GET', '/sessions/%E0%A4%A/next'), (e: unknown) => e instanceof HttpError && e.status === 400);
      assert.throws(() => new Router().add(r('GET', '/a'), r('GET', '/a')), /registered twice/);
      assert.throws(() => new Router().add(r('GET', 'a')), /must start with/);
    });
  });

  describe('QueryParams', () => {
    it('parses integers, flags, choices and seeds strictly', () => {
      const q = new QueryParams('n=10&raw=1&unit=session&seed=42&start=1700000000000', ['n', 'raw', 'unit', 'seed', 'start']);
      assert.equal(q.integer('n', 1, 100), 10);
      assert.equal(q.flag('raw', false), true);
      assert.equal(q.choice('unit', ['event', 'session'], 'event'), 'session');
      assert.equal(q.seed(), '42');
      assert.equal(q.start(), 1700000000000);
      for (const bad of ['n=1e3', 'n=0x10', 'n=+5', 'n= 5', 'n=99999999999999999']) {
        assert.throws(() => new QueryParams(bad, ['n']).integer('n', 1, 100), (e: unknown) => e instanceof HttpError && e.status === 400, bad);
      }
    });
  });

  it('maps core errors to 4xx and anything else to a generic 500', () => {
    assert.equal(toHttpError(new MockjutsuError('UNKNOWN_TYPE', 'x')).status, 404);
    assert.equal(toHttpError(new MockjutsuError('INVALID_COUNT', 'x')).status, 400);
    const e = toHttpError(new RangeError('secret detail'));
    assert.equal(e.status, 500);
    assert.doesNotMatch(e.message, /secret/);
  });
});
