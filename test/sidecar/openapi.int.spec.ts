import assert from 'node:assert/strict';
import { startSidecar, openApiPath, sendJson, type RunningSidecar } from '../../src/sidecar/index.js';
import { call } from './sidecarTestKit.js';

type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { summary?: string; parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('sidecar GET /openapi.json', () => {
  let s: RunningSidecar;
  let doc: Doc;
  before(async () => {
    // an extra module's routes, registered both ways, must show up too
    s = await startSidecar({
      port: 0,
      seed: 1,
      routes: [{ method: 'POST', path: '/streams/:id', handler: (ctx) => sendJson(ctx.res, 201, { id: ctx.params.id }) }],
      registerRoutes: (router) => router.add({
        method: 'GET',
        path: '/projections/orders/:id',
        query: ['at'],
        handler: (ctx) => sendJson(ctx.res, 200, { id: ctx.params.id }),
        openapi: { summary: 'An order', responses: { '200': { description: 'The order', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } } } },
      }),
      openapiSchemas: { Order: { type: 'object' } },
    });
    const a = await call(s.url, '/openapi.json');
    assert.equal(a.status, 200);
    doc = JSON.parse(a.body) as Doc;
  });
  after(() => s.close(1000));

  it('is an OpenAPI 3.1 document with the package version', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  });

  it('lists every route the router has, with its path and query parameters and the error responses', () => {
    const routes = s.context.router.routes();
    assert.ok(routes.length >= 10);
    for (const r of routes) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${r.path} is missing`);
      assert.ok(op.summary && op.summary.length > 0);
      for (const m of r.path.matchAll(/:(\w+)/g)) {
        assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === m[1] && p.required === true), `${r.path}: path parameter ${m[1]}`);
      }
      for (const q of r.query ?? []) assert.ok(op.parameters?.some((p) => p.in === 'query' && p.name === q), `${r.path}: query parameter ${q}`);
      for (const status of ['200', '400', '404', '500']) assert.ok(op.responses[status] ?? op.responses['201'], `${r.path}: response ${status}`);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    assert.deepEqual(documented, routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    assert.ok(doc.paths['/streams/{id}']?.post && doc.paths['/projections/orders/{id}']?.get);
  });

  it('resolves every $ref, and describes the error body', () => {
    for (const r of refsIn(doc)) {
      const name = /^#\/components\/schemas\/(\w+)$/.exec(r)?.[1];
      assert.ok(name && doc.components.schemas[name], `unresolved ${r}`);
    }
    assert.deepEqual((doc.components.schemas.Error as { required: string[] }).required, ['status', 'error']);
  });

  it('extra routes are served', async () => {
    const a = await call(s.url, '/streams/a%20b', { method: 'POST' });
    assert.equal(a.status, 201);
    assert.equal(a.body, '{"id":"a b"}');
    const b = await call(s.url, '/projections/orders/7?at=1');
    assert.equal(b.body, '{"id":"7"}');
    assert.equal((await call(s.url, '/projections/orders/7?x=1')).status, 400);
  });
});
