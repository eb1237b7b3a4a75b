import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startSidecar, HttpError, type RunningSidecar } from '../../src/sidecar/index.js';
import { call, errorOf, type RequestOptions, rawExchange } from './sidecarTestKit.js';

interface Case {
  name: string;
  path: string;
  options?: RequestOptions;
  status: number;
  code: string;
  message: RegExp;
}

const json = (body: string): RequestOptions => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

const CASES: Case[] = [
  { name: 'unknown type', path: '/generate/car', status: 404, code: 'UNKNOWN_TYPE', message: /unknown type "car"; known types: event_stream, user, cdc_event/ },
  { name: 'unknown type in bulk', path: '/bulk/car?count=1', status: 404, code: 'UNKNOWN_TYPE', message: /known types: event_stream, user, cdc_event/ },
  { name: 'unknown route', path: '/nope', status: 404, code: 'NOT_FOUND', message: /no route for "\/nope"; routes: GET \/health/ },
  { name: 'trailing segment', path: '/generate/event_stream/x', status: 404, code: 'NOT_FOUND', message: /no route/ },
  { name: 'count 0', path: '/bulk/event_stream?count=0', status: 400, code: 'INVALID_COUNT', message: /count is "0"; allowed: an integer from 1 to 10000/ },
  { name: 'count too big for JSON', path: '/bulk/event_stream?count=10001', status: 400, code: 'INVALID_COUNT', message: /format=ndjson streams up to 10000000/ },
  { name: 'count too big for NDJSON', path: '/bulk/event_stream?count=10000001&format=ndjson', status: 400, code: 'INVALID_COUNT', message: /from 1 to 10000000/ },
  { name: 'count float', path: '/bulk/user?count=1.5', status: 400, code: 'INVALID_COUNT', message: /count is "1.5"/ },
  { name: 'count missing', path: '/bulk/user', status: 400, code: 'INVALID_COUNT', message: /count is missing/ },
  { name: 'empty seed', path: '/generate/event_stream?seed=', status: 400, code: 'INVALID_SEED', message: /seed is ""; allowed: a safe integer or a non-empty string/ },
  { name: 'seed too long', path: `/generate/event_stream?seed=${'s'.repeat(257)}`, status: 400, code: 'INVALID_SEED', message: /at most 256 characters/ },
  { name: 'session negative', path: '/generate/event_stream?session=-1', status: 400, code: 'INVALID_QUERY', message: /session is "-1"; allowed: an integer from 0/ },
  { name: 'users 0', path: '/generate/event_stream?users=0&seed=1', status: 400, code: 'INVALID_QUERY', message: /users is "0"; allowed: an integer from 1 to 10000000/ },
  { name: 'bad start', path: '/generate/event_stream?start=yesterday&seed=1', status: 400, code: 'INVALID_OPTION', message: /start is "yesterday"; allowed: "now", an ISO-8601 instant/ },
  { name: 'unknown query parameter', path: '/generate/event_stream?sead=1', status: 400, code: 'INVALID_QUERY', message: /^unknown query parameter "sead"; allowed: seed, partition, users, start, session, raw, format, envelope$/ },
  { name: 'repeated query parameter', path: '/generate/event_stream?seed=1&seed=2', status: 400, code: 'INVALID_QUERY', message: /"seed" is given twice/ },
  { name: 'bad raw flag', path: '/generate/event_stream?raw=maybe', status: 400, code: 'INVALID_QUERY', message: /raw is "maybe"; allowed: 1, true/ },
  { name: 'bad format', path: '/bulk/user?count=1&format=xml', status: 400, code: 'INVALID_QUERY', message: /format is "xml"; allowed: json, ndjson/ },
  { name: 'partition too long', path: `/generate/event_stream?partition=${'p'.repeat(513)}`, status: 400, code: 'INVALID_OPTION', message: /partition is .*at most 512 characters/ },
  { name: 'bad percent-encoding in key', path: '/sessions/%ZZ/next', status: 400, code: 'BAD_REQUEST', message: /not valid percent-encoding/ },
  { name: 'query on /sessions/:key/next', path: '/sessions/k/next?n=1', status: 400, code: 'INVALID_QUERY', message: /unknown query parameter "n"; allowed: seed, unit, from, type/ },
  { name: 'wrong method', path: '/generate/event_stream', options: { method: 'DELETE' }, status: 405, code: 'METHOD_NOT_ALLOWED', message: /method "DELETE" is not allowed on "\/generate\/event_stream"; allowed: GET, HEAD, OPTIONS/ },
  { name: 'GET /template', path: '/template', status: 405, code: 'METHOD_NOT_ALLOWED', message: /allowed: POST, OPTIONS/ },
  { name: 'malformed JSON', path: '/template', options: json('{"types":'), status: 400, code: 'MALFORMED_JSON', message: /request body is not valid JSON/ },
  { name: 'empty body', path: '/template', options: json(''), status: 400, code: 'MALFORMED_JSON', message: /request body is empty/ },
  { name: 'body not an object', path: '/template', options: json('[1]'), status: 400, code: 'INVALID_OPTION', message: /request body is an array; expected an object/ },
  { name: 'unknown body field', path: '/template', options: json('{"types":["user"],"count":1,"cuont":2}'), status: 400, code: 'INVALID_OPTION', message: /unknown field "cuont"; allowed: types, count/ },
  { name: 'types empty', path: '/template', options: json('{"types":[],"count":1}'), status: 400, code: 'INVALID_OPTION', message: /types is \[\]; expected a non-empty array of type names \(known: event_stream, user, cdc_event, shop\)/ },
  { name: 'types duplicated', path: '/template', options: json('{"types":["user","user"],"count":1}'), status: 400, code: 'INVALID_OPTION', message: /lists "user" twice/ },
  { name: 'template unknown type', path: '/template', options: json('{"types":["car"],"count":1}'), status: 404, code: 'UNKNOWN_TYPE', message: /unknown type "car"/ },
  { name: 'template count', path: '/template', options: json('{"types":["user"],"count":10001}'), status: 400, code: 'INVALID_COUNT', message: /count is 10001; allowed: an integer from 1 to 10000/ },
  { name: 'template seed', path: '/template', options: json('{"types":["user"],"count":1,"seed":1.5}'), status: 400, code: 'INVALID_SEED', message: /seed is 1.5/ },
  { name: 'template start', path: '/template', options: json('{"types":["user"],"count":1,"start":{}}'), status: 400, code: 'INVALID_OPTION', message: /start is \{\}/ },
  { name: 'invalid UTF-8 body', path: '/template', options: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.from([0x7b, 0xff, 0x7d]) }, status: 400, code: 'MALFORMED_JSON', message: /not valid UTF-8/ },
  { name: 'wrong content type', path: '/template', options: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /Content-Type is "text\/plain"; allowed: application\/json/ },
  { name: 'missing content type', path: '/template', options: { method: 'POST', body: '{}' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /Content-Type is missing/ },
  { name: 'body over 1 MiB', path: '/template', options: json(`{"types":["user"],"count":1,"pad":"${'x'.repeat(1024 * 1024)}"}`), status: 413, code: 'PAYLOAD_TOO_LARGE', message: /allowed: at most 1048576 bytes/ },
];

describe('sidecar bad input: 4xx with the JSON error body, never a 5xx', () => {
  let s: RunningSidecar;
  const logged: string[] = [];
  before(async () => {
    s = await startSidecar({
      port: 0,
      seed: 1,
      log: (line) => logged.push(line),
      timeouts: { headersMs: 300, requestMs: 600 },
      plugins: [async (app: FastifyInstance) => {
        app.get('/boom', () => { throw new Error('kaput'); });
        app.get('/boom-async', async () => { await Promise.resolve(); throw new TypeError('async kaput'); });
        app.get('/teapot', () => { throw new HttpError(418, 'TEAPOT', 'short and stout'); });
      }],
    });
  });
  after(() => s.close(1000));

  for (const c of CASES) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      const a = await call(s.url, c.path, c.options);
      assert.equal(a.status, c.status, a.body);
      assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
      const e = errorOf(a);
      assert.equal(e.code, c.code);
      assert.match(e.message, c.message);
      if (c.status === 405) assert.ok(String(a.headers.allow).length > 0);
    });
  }

  it('a handler that throws gets a generic 500, a log line, and the server keeps serving', async () => {
    for (const path of ['/boom', '/boom-async']) {
      const a = await call(s.url, path);
      assert.equal(a.status, 500);
      assert.equal(errorOf(a).code, 'INTERNAL_ERROR');
      assert.doesNotMatch(a.body, /kaput/);
    }
    assert.equal(logged.filter((l) => /internal error on GET "\/boom(-async)?": (Type)?Error: (async )?kaput/.test(l)).length, 2, logged.join('\n'));
    assert.equal((await call(s.url, '/health')).status, 200);
    const t = await call(s.url, '/teapot');
    assert.equal(t.status, 418);
    assert.equal(errorOf(t).code, 'TEAPOT');
  });

  it('answers broken HTTP with a JSON 400 and headers over 16 KiB with 431', async () => {
    const bad = await rawExchange(s.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    assert.match(bad, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"code":"BAD_REQUEST"/);
    const big = await rawExchange(s.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 431 [\s\S]*"code":"HEADERS_TOO_LARGE"/);
    const noHost = await rawExchange(s.port, 'GET /health HTTP/1.1\r\n\r\n');
    assert.match(noHost, /^HTTP\/1\.1 400 [\s\S]*Host header is missing/);
    const absolute = await rawExchange(s.port, 'GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(absolute, /^HTTP\/1\.1 400 [\s\S]*is not a path/);
  });

  it('answers a request whose headers never finish with 408', async () => {
    const slow = await rawExchange(s.port, 'GET /health HTTP/1.1\r\nHost: x\r\n', 3000);
    assert.match(slow, /^HTTP\/1\.1 408 [\s\S]*"code":"REQUEST_TIMEOUT"/);
  });

  it('a body that stops coming is cut by the request timeout, not held forever', async () => {
    const t0 = Date.now();
    const answer = await rawExchange(s.port, 'POST /template HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ty', 4000);
    assert.ok(Date.now() - t0 < 3500, 'closed by the server');
    assert.doesNotMatch(answer, /HTTP\/1\.1 5/);
  });
});

describe('sidecar --token', () => {
  let s: RunningSidecar;
  before(async () => {
    s = await startSidecar({ port: 0, seed: 1, token: 's3cret-token' });
  });
  after(() => s.close(1000));

  it('GET /health needs no token and does not tell the default seed', async () => {
    const h = await call(s.url, '/health');
    assert.equal(h.status, 200);
    assert.deepEqual(Object.keys(JSON.parse(h.body) as object), ['status', 'uptime_s', 'version']);
    assert.equal((await call(s.url, '/health', { method: 'HEAD' })).status, 200);
  });

  it('OPTIONS on a real path needs the token like any other method (no method list for strangers)', async () => {
    for (const path of ['/template', '/generate/event_stream', '/health', '/sessions/k/batch']) {
      const denied = await call(s.url, path, { method: 'OPTIONS' });
      assert.equal(denied.status, 401, path);
      assert.equal(denied.headers.allow, undefined, path);
      assert.equal(errorOf(denied).code, 'UNAUTHORIZED');
    }
    const allowed = await call(s.url, '/template', { method: 'OPTIONS', headers: { Authorization: 'Bearer s3cret-token' } });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.allow, 'POST, OPTIONS');
  });

  it('accepts the Bearer scheme in any case, and only that scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      assert.equal((await call(s.url, '/types', { headers: { Authorization: `${scheme} s3cret-token` } })).status, 200, scheme);
    }
    for (const header of ['Basic s3cret-token', 's3cret-token', 'Bearer', 'Bearer s3cret-token extra']) {
      assert.equal((await call(s.url, '/types', { headers: { Authorization: header } })).status, 401, header);
    }
  });

  it('every other endpoint (and unknown routes) needs "Authorization: Bearer <token>"', async () => {
    for (const path of ['/types', '/generate/event_stream?seed=1', '/sessions/k/next', '/sessions/%ZZ/next', '/openapi.json', '/nope', '/template']) {
      const missing = await call(s.url, path);
      assert.equal(missing.status, 401, path);
      assert.equal(errorOf(missing).code, 'UNAUTHORIZED');
      assert.match(errorOf(missing).message, /missing Authorization header/);
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="mockjutsu"');
      const wrong = await call(s.url, path, { headers: { Authorization: 'Bearer s3cret-tokem' } });
      assert.equal(wrong.status, 401, path);
      assert.match(errorOf(wrong).message, /wrong bearer token/);
    }
    const ok = await call(s.url, '/generate/event_stream?seed=1', { headers: { Authorization: 'Bearer s3cret-token' } });
    assert.equal(ok.status, 200);
  });

  it('a cached /generate answer (served before fastify routes) still needs the token', async () => {
    const auth = { Authorization: 'Bearer s3cret-token' };
    const first = await call(s.url, '/generate/event_stream?seed=77', { headers: auth });
    const cached = await call(s.url, '/generate/event_stream?seed=77', { headers: auth });
    assert.equal(cached.body, first.body);
    const denied = await call(s.url, '/generate/event_stream?seed=77');
    assert.equal(denied.status, 401);
    assert.equal(errorOf(denied).code, 'UNAUTHORIZED');
  });
});
