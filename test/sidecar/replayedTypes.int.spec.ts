// cdc_event item k replays the k changes before it (rows carry state), synchronously: the
// sidecar bounds the index it serves, so that one request cannot freeze it for every client.
import assert from 'node:assert/strict';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call, errorOf } from './sidecarTestKit.js';

describe('sidecar: far indexes of replayed types (cdc_event)', function () {
  this.timeout(30_000);
  let s: RunningReplaySidecar;
  before(async () => {
    s = await startReplaySidecar({ port: 0, seed: 1, log: () => {} });
  });
  after(() => s?.close(1000));

  it('cdc_event (item k replays the k changes before it): a far index is a 400 naming the bound, not a frozen sidecar', async () => {
    for (const path of ['/generate/cdc_event?session=1000000000', '/sessions/k/batch?n=5&type=cdc_event&from=2214753794', '/sessions/k/next?type=cdc_event&from=100002']) {
      const t0 = Date.now();
      const a = await call(s.url, path);
      assert.equal(a.status, 400, path);
      assert.match(errorOf(a).message, /cdc_event item k replays the k changes before it .* items 0 to 100000 of a partition/, path);
      assert.ok(Date.now() - t0 < 1000, path);
    }
    assert.equal((await call(s.url, '/sessions/k/next?type=cdc_event&from=100001')).status, 200);
  });
});
