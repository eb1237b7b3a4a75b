import assert from 'node:assert/strict';
import { startSidecar, DEFAULT_LIMITS, type RunningSidecar } from '../../src/sidecar/index.js';

// startSidecar's limits and timeouts: a bad one stops the start with a message that names it,
// the value and what is allowed (a NaN or -1 turned a limit off without a word before).
describe('startSidecar: limits and timeouts are checked (int, 127.0.0.1)', function () {
  this.timeout(20_000);

  const refused: Array<[Parameters<typeof startSidecar>[0], RegExp]> = [
    [{ limits: { bulkWorkers: Number.NaN } }, /^limits\.bulkWorkers is NaN; allowed: an integer from 0 to 256$/],
    [{ limits: { bulkWorkers: -1 } }, /^limits\.bulkWorkers is -1; allowed: an integer from 0 to 256$/],
    [{ limits: { maxBatch: 2.5 } }, /^limits\.maxBatch is 2\.5; allowed: an integer from 1 to 10000000$/],
    [{ limits: { bodyBytes: '1mb' as unknown as number } }, /^limits\.bodyBytes is "1mb"; allowed: an integer from 1 to 2147483647$/],
    [{ limits: { maxbatch: 5 } as never }, /^limits has no setting "maxbatch"; did you mean "maxBatch"\? its settings: bodyBytes, bodyDepth, /],
    [{ limits: { speed: 5 } as never }, /^limits has no setting "speed"; its settings: bodyBytes, /],
    [{ limits: 5 as never }, /^limits is 5; allowed: an object of settings \(bodyBytes, /],
    [{ timeouts: { headersMs: 0 } }, /^timeouts\.headersMs is 0; allowed: an integer from 1 to 2147483647$/],
    [{ timeouts: { requestMs: -1 } }, /^timeouts\.requestMs is -1; allowed: an integer from 0 to 2147483647$/],
    [{ timeouts: { idleSocketMs: Infinity } }, /^timeouts\.idleSocketMs is Infinity; allowed: an integer from 0 to 2147483647$/],
    [{ timeouts: { headersMs: 5000, requestMs: 1000 } }, /^timeouts\.headersMs is 5000; allowed: at most timeouts\.requestMs \(1000\)/],
    // Only requestMs given, under the headers' default: the message names the one given.
    [{ timeouts: { requestMs: 5000 } }, /^timeouts\.requestMs is 5000; allowed: at least timeouts\.headersMs \(10000, its default; give a smaller headersMs too\)/],
    [{ timeouts: { headersMs: 40000 } }, /^timeouts\.headersMs is 40000; allowed: at most timeouts\.requestMs \(30000, its default; give a larger requestMs too\)/],
    [{ limits: { bodyBytes: 5n as unknown as number } }, /^limits\.bodyBytes is 5n \(a bigint\); allowed: an integer from 1 to 2147483647$/],
  ];
  for (const [options, message] of refused) {
    it(`refuses ${JSON.stringify(options, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`, async () => {
      let started: RunningSidecar | undefined;
      await assert.rejects(async () => {
        started = await startSidecar({ port: 0, seed: 1, log: () => undefined, ...options });
      }, (e: Error) => {
        assert.match(e.message, message);
        return true;
      });
      await started?.close();
    });
  }

  it('takes 0 for the request, keep-alive and idle timeouts (no limit, as Node takes it), and null for none given', async () => {
    const s = await startSidecar({ port: 0, seed: 1, log: () => undefined, limits: null as never, timeouts: { requestMs: 0, keepAliveMs: 0, idleSocketMs: 0, headersMs: 40_000 } });
    try {
      assert.equal(s.server.requestTimeout, 0);
      assert.equal(s.server.keepAliveTimeout, 0);
      assert.equal(s.server.timeout, 0);
      assert.equal(s.server.headersTimeout, 40_000);
      assert.deepEqual(s.context.limits, DEFAULT_LIMITS);
      assert.equal((await fetch(`${s.url}/health`)).status, 200);
    } finally {
      await s.close();
    }
  });

  it('takes good ones (0 where allowed, undefined keeps the default) and serves with them', async () => {
    const s = await startSidecar({ port: 0, seed: 1, log: () => undefined, limits: { maxBatch: 3, bulkWorkers: 0, bodyDepth: undefined }, timeouts: { shutdownGraceMs: 0 } });
    try {
      assert.equal(s.context.limits.maxBatch, 3);
      assert.equal(s.context.limits.bodyDepth, DEFAULT_LIMITS.bodyDepth);
      const r = await fetch(`${s.url}/sessions/k/batch?n=4`);
      assert.equal(r.status, 400);
      assert.equal((await fetch(`${s.url}/sessions/k/batch?n=3`)).status, 200);
    } finally {
      await s.close();
    }
  });
});
