import assert from 'node:assert/strict';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call } from './sidecarTestKit.js';

type Operation = { summary?: string; parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, unknown>; security?: unknown[] };
type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
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

/** Every route `mockjutsu serve` answers (the replay target's included), as the README lists them. */
const ROUTES = [
  'GET /health', 'GET /types', 'GET /openapi.json', 'GET /generate/{type}', 'GET /bulk/{type}', 'POST /template',
  'GET /sessions/{key}/next', 'GET /sessions/{key}/batch', 'POST /streams/{id}', 'GET /streams/{id}', 'GET /all',
  'GET /projections/orders', 'GET /projections/orders/{id}', 'POST /mock-event', 'GET /mock-event', 'GET /mock-event/{name}',
];

describe('sidecar GET /openapi.json (built by @fastify/swagger from the route schemas)', () => {
  let s: RunningReplaySidecar;
  let doc: Doc;
  before(async () => {
    s = await startReplaySidecar({ port: 0, seed: 1, log: () => {} });
    const a = await call(s.url, '/openapi.json');
    assert.equal(a.status, 200);
    assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
    doc = JSON.parse(a.body) as Doc;
  });
  after(() => s.close(1000));

  it('is an OpenAPI 3.1 document with the package version', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  });

  it('lists exactly the served routes (HEAD implied), each with a summary and the error responses', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${p}`));
    assert.deepEqual(documented.sort(), [...ROUTES].sort());
    for (const route of ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]![method.toLowerCase()]!;
      assert.ok(op.summary && op.summary.length > 0, route);
      for (const status of ['400', '401', '404']) assert.ok(op.responses[status], `${route}: response ${status}`);
      for (const m of path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(op.parameters?.some((p) => p.in === 'path' && p.name === m[1] && p.required === true), `${route}: path parameter ${m[1]}`);
      }
    }
  });

  it('documents the query parameters the schemas validate, required ones marked', () => {
    const query = (path: string, method = 'get'): string[] =>
      (doc.paths[path]![method]!.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}${p.required ? '*' : ''}`).sort();
    assert.deepEqual(query('/generate/{type}'), ['envelope', 'format', 'partition', 'raw', 'seed', 'session', 'start', 'users']);
    assert.deepEqual(query('/bulk/{type}'), ['count*', 'envelope', 'format', 'partition', 'raw', 'seed', 'start', 'users']);
    const mock = ['count', 'envelope', 'format', 'from', 'mode', 'partition', 'seed', 'start'];
    assert.deepEqual(query('/mock-event/{name}'), mock);
    assert.deepEqual(query('/mock-event', 'post'), mock);
    assert.deepEqual(query('/sessions/{key}/batch'), ['envelope', 'format', 'from', 'n*', 'seed', 'start', 'type', 'unit', 'user', 'user_id', 'users']);
    assert.deepEqual(query('/all'), ['from', 'limit']);
    assert.deepEqual(doc.paths['/health']!.get!.security, []);
  });

  it('resolves every $ref to a component schema, and describes the error body', () => {
    const refs = refsIn(doc);
    assert.ok(refs.length > 20);
    for (const r of refs) {
      const name = /^#\/components\/schemas\/(\w+)$/.exec(r)?.[1];
      assert.ok(name && doc.components.schemas[name], `unresolved ${r}`);
    }
    assert.deepEqual((doc.components.schemas.Error as { required: string[] }).required, ['status', 'error']);
    assert.ok(doc.components.schemas.StoredRecord && doc.components.schemas.AppendResult);
  });
});
