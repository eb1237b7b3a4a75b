import assert from 'node:assert/strict';
import { loadRouteModules, startSidecar } from '../../src/sidecar/index.js';
import { call } from './sidecarTestKit.js';

describe('sidecar route modules (how the event store plugs its routes into serve)', () => {
  it('loads sidecarRoutes() and schemas from modules that exist, skips missing ones', async () => {
    const loaded = await loadRouteModules([{ module: '../../test/sidecar/extraRoutesFixture.js' }, { module: '../nowhere/none.js' }]);
    assert.deepEqual(loaded.routes.map((r) => `${r.method} ${r.path}`), ['POST /streams/:id']);
    const s = await startSidecar({ port: 0, seed: 1, routes: loaded.routes, openapiSchemas: loaded.schemas });
    try {
      const a = await call(s.url, '/streams/order-1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' });
      assert.equal(a.status, 201);
      assert.equal(a.body, '{"id":"order-1","body":{"x":1}}');
      const doc = JSON.parse((await call(s.url, '/openapi.json')).body) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
      assert.ok(doc.paths['/streams/{id}']);
      assert.ok(doc.components.schemas.Appended);
    } finally {
      await s.close(1000);
    }
  });

  it('a module without sidecarRoutes is an error naming it', async () => {
    await assert.rejects(loadRouteModules([{ module: '../../test/sidecar/sidecarTestKit.js' }]), /sidecarTestKit\.js does not export a function sidecarRoutes\(\)/);
  });
});
