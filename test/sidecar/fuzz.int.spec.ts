import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import { call, rawExchange } from './sidecarTestKit.js';

// fast-check generates (and on failure shrinks) whole requests: method, path, query, headers
// and body. A failure prints the seed and path to replay it:
//   MOCKJUTSU_FUZZ_SEED=<seed> MOCKJUTSU_FUZZ_PATH=<path> npx mocha test/sidecar/fuzz.int.spec.ts
const SEED = process.env.MOCKJUTSU_FUZZ_SEED === undefined ? 20251115 : Number(process.env.MOCKJUTSU_FUZZ_SEED);
const PATH = process.env.MOCKJUTSU_FUZZ_PATH;
/** Property runs; each sends a batch of 8 to 16 requests concurrently (about 9,000 requests). */
const HTTP_RUNS = 750;
const RAW_RUNS = 300;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const segment = fc.oneof(
  fc.constantFrom('event_stream', 'user', 'EVENT_STREAM', '', '%ZZ', '%00', '..%2F..%2Fetc', '%E2%82%AC%20x', 'a%2Fb', '.', '..', 'k'.repeat(600)),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
);
const path = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('/generate/', '/bulk/', '/sessions/', '/streams/', '/projections/orders/'), segment, fc.constantFrom('', '/next', '/batch', '/x', '/'))
    .map(([a, b, c]) => a + b + (a === '/sessions/' ? c || '/next' : c === '/next' || c === '/batch' ? '' : c)) },
  { weight: 3, arbitrary: fc.constantFrom('/health', '/types', '/openapi.json', '/template', '/all', '/projections/orders', '/', '//', '/generate', '/%', '/health/') },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => '/' + s.join('/')) },
);
const NAMES = ['seed', 'count', 'n', 'from', 'to', 'limit', 'unit', 'format', 'raw', 'session', 'partition', 'users', 'start', 'type', 'paid', 'session_id', 'junk', ''];
const value = fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '7', '10000', '10001', '1e9', '99999999999999999999', '9007199254740993', '1000000000', '1000000001', 'NaN', 'true', 'yes',
    'ndjson', 'json', 'xml', 'session', 'event', 'user', 'now', '2025-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '8640000000000000', '-8640000000000001', '+', '1.5', '%00'),
  fc.integer({ min: -1, max: 2 ** 53 }).map(String),
  fc.string({ maxLength: 300 }),
);
// counts stay small: a valid 10,000,000-session stream is what the sidecar is for, not what a fuzzer reads
const query = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => [k, k === 'count' || k === 'n' ? v.slice(0, 3) : v] as const))
  .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')));

/** JSON nested `depth` deep, as text (JSON.stringify itself would overflow on deep values). */
const deepText = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) =>
  open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));
const event = fc.record({
  event_id: fc.oneof({ weight: 4, arbitrary: fc.uuid() }, fc.string({ maxLength: 300 }), fc.integer()),
  event_type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('login', 'checkout', 'payment') }, fc.string({ maxLength: 300 })),
  stream_id: fc.constantFrom('s-1', 'x', undefined),
  payload: fc.oneof(
    fc.jsonValue({ depth: 40 }),
    fc.record({ order_id: fc.constantFrom('o-1', 'o-2'), total: fc.constantFrom('1.00', 'x'), status: fc.constantFrom('success', 'failed'), items: fc.jsonValue({ depth: 3 }) }),
  ),
}, { requiredKeys: ['event_id', 'event_type'] });
const body = fc.oneof(
  fc.jsonValue({ depth: 8 }).map((v) => JSON.stringify(v)),
  fc.record({ types: fc.array(fc.constantFrom('event_stream', 'user', 'car', ''), { maxLength: 3 }), count: fc.oneof(fc.integer({ min: -1, max: 20 }), fc.constant('3')), seed: fc.jsonValue({ depth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.oneof(event, fc.array(event, { maxLength: 4 }), fc.record({ expected_version: fc.jsonValue({ depth: 3 }), events: fc.array(event, { maxLength: 3 }) })).map((v) => JSON.stringify(v)),
  deepText,
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom('', ' ', '{"types":', '\uFEFF{"types":["user"],"count":1}', '{"__proto__":{"count":1},"types":["user"],"count":1}'),
);
const method = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH') }, { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'FOO') });
const headers = fc.record({
  'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/vnd.api+json', 'multipart/form-data', ''),
  Accept: fc.constantFrom('application/x-ndjson', 'application/json', '*/*', 'text/html'),
  Authorization: fc.constantFrom('Bearer x', 'bearer', 'Basic abc', 'Bearer ' + 'y'.repeat(2000)),
  'If-Match': fc.oneof(fc.constantFrom('*', '0', '"3"', 'no_stream', 'any', 'W/"1"'), fc.string({ maxLength: 30 })),
  'X-Junk': fc.string({ maxLength: 2000 }),
}, { requiredKeys: [] });
const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({ method, path: fc.tuple(path, query).map(([p, q]) => p + q), headers, body: fc.option(body, { nil: undefined }) });

// Half the requests follow the routes' own shapes (allowed names, plausible values), to get
// past routing and validation into the handlers and the store.
const GOOD_VALUES: Record<string, fc.Arbitrary<string>> = {
  seed: fc.oneof(fc.integer({ min: 0, max: 1000 }).map(String), fc.string({ minLength: 1, maxLength: 20 })),
  session: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(999_999_999, 1_000_000_000), fc.maxSafeNat()).map(String),
  count: fc.integer({ min: 1, max: 30 }).map(String),
  n: fc.integer({ min: 1, max: 30 }).map(String),
  from: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(2 ** 53 - 2)).map(String),
  to: fc.integer({ min: 0, max: 200 }).map(String),
  limit: fc.integer({ min: 1, max: 50 }).map(String),
  partition: fc.string({ maxLength: 600 }),
  users: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(10_000_000)).map(String),
  start: fc.oneof(fc.constantFrom('now', '2025-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z', '8640000000000000', '-62198755200000'), fc.integer({ min: -1e15, max: 1e16 }).map(String)),
  raw: fc.constantFrom('1', 'true', 'no', ''),
  format: fc.constantFrom('json', 'ndjson'),
  unit: fc.constantFrom('event', 'session'),
  type: fc.constantFrom('event_stream', 'user'),
  paid: fc.constantFrom('true', 'false'),
  session_id: fc.string({ maxLength: 40 }),
};
const ROUTES: Array<[string, string, string[]]> = [
  ['GET', '/generate/event_stream', ['seed', 'session', 'partition', 'users', 'start', 'raw', 'format']],
  ['GET', '/generate/user', ['seed', 'session', 'partition', 'raw', 'format']],
  ['GET', '/bulk/event_stream', ['count', 'seed', 'partition', 'users', 'start', 'format', 'raw']],
  ['GET', '/bulk/user', ['count', 'seed', 'format', 'raw']],
  ['GET', '/sessions/k%2F1/next', ['seed', 'unit', 'from', 'type']],
  ['GET', '/sessions/k%2F1/batch', ['n', 'seed', 'unit', 'from', 'format', 'type']],
  ['GET', '/all', ['from', 'limit']],
  ['GET', '/streams/s-1', ['from', 'to']],
  ['GET', '/projections/orders', ['limit', 'session_id', 'paid']],
];
const shapedGet: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...ROUTES).chain(([m, p, names]) =>
  fc.tuple(...names.map((n) => fc.option(GOOD_VALUES[n]!, { nil: undefined }))).map((values) => {
    const q = names.flatMap((n, i) => (values[i] === undefined ? [] : [`${n}=${encodeURIComponent(values[i]!)}`]));
    if (p.startsWith('/bulk') && !q.some((x) => x.startsWith('count='))) q.push('count=2');
    if (p.endsWith('/batch') && !q.some((x) => x.startsWith('n='))) q.push('n=3');
    return { method: m, path: p + (q.length > 0 ? '?' + q.join('&') : ''), headers: {} };
  }));
const shapedPost: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(fc.oneof(event, fc.array(event, { minLength: 1, maxLength: 4 })), fc.option(fc.constantFrom('0', '1', 'no_stream', 'any', '*'), { nil: undefined }))
    .map(([e, ifMatch]) => ({ method: 'POST', path: '/streams/s-1', headers: { 'Content-Type': 'application/json', ...(ifMatch === undefined ? {} : { 'If-Match': ifMatch }) }, body: JSON.stringify(e) })),
  fc.record({ types: fc.uniqueArray(fc.constantFrom('event_stream', 'user'), { minLength: 1 }), count: fc.integer({ min: 1, max: 5 }), seed: fc.integer({ min: 0, max: 99 }), start: fc.option(GOOD_VALUES.start!, { nil: undefined }) })
    .map((b) => ({ method: 'POST', path: '/template', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })),
);
const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(anyRequest, shapedGet, shapedPost);

/** Sends one request; resolves to its status, or 0 when the client could not send it (an invalid header value...). */
function send(base: string, agent: Agent, r: FuzzRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    let req: ReturnType<typeof httpRequest>;
    const timer = setTimeout(() => {
      req?.destroy();
      reject(new Error(`no answer within 10 s: ${r.method} ${r.path.slice(0, 120)}`));
    }, 10_000);
    try {
      req = httpRequest(base + r.path, { method: r.method, headers: r.headers, agent }, (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 256 * 1024) res.destroy(); // a valid large answer: its status is all we need
        });
        res.on('close', () => resolve(status));
        res.on('error', () => resolve(status));
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        resolve((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? -1 : 0);
      });
      req.end(r.body);
    } catch {
      clearTimeout(timer);
      resolve(0); // Node's client refused to send it (e.g. a character not allowed in a header)
    }
  });
}

/** Raw bytes on a socket: the statuses of every answer before the server closed (or 2 s passed). */
async function sendRaw(port: number, bytes: string): Promise<number[]> {
  const got = await rawExchange(port, Buffer.from(bytes, 'latin1'), 2000, { end: true });
  return [...got.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

const rawRequest = fc.tuple(
  fc.constantFrom('GET', 'POST', 'get', 'G\u0000ET', 'CONNECT', 'PRI', 'OPTIONS', 'A'.repeat(5000)),
  fc.constantFrom('/health', '/generate/event_stream?seed=1', '/template', '/sessions/a b/next', '/sessions/\u00fc/next', '*', 'http://x/health', '/x\u0000y', '', 'x:443'),
  fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/2.0', ''),
  fc.constantFrom('\r\n', '\n', '\r'),
  fc.array(fc.constantFrom('Host: x', 'Host : x', 'Host:', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: abc', 'Transfer-Encoding: chunked',
    'Transfer-Encoding: gzip, chunked', 'Content-Type: application/json', 'No colon here', ' folded: continuation', 'Expect: 100-continue', 'Expect: teapot',
    'Connection: close', 'Upgrade: websocket', 'Bad\u0001Name: x', 'X-Big: ' + 'b'.repeat(20_000), 'Authorization: Bearer z'), { maxLength: 5 }),
  fc.constantFrom('', 'hello', '{"types":["user"],"count":1}', '5\r\nhello\r\n0\r\n\r\n', '3\r\nab', '\u0000\u00ff\r\n'),
  fc.boolean(),
).map(([m, target, version, eol, lines, rest, pipelined]) =>
  `${m} ${target} ${version}${eol}${lines.join(eol)}${eol}${eol}${rest}${pipelined ? 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n' : ''}`);

describe(`sidecar fuzzing with fast-check (seed ${SEED}): requests never get a 5xx`, function () {
  this.timeout(120_000);
  let s: RunningReplaySidecar;
  const logged: string[] = [];
  let sent = 0;
  const tally = new Map<number, number>();
  before(async () => {
    s = await startReplaySidecar({ port: 0, seed: 1, log: (l) => logged.push(l), timeouts: { headersMs: 1000, requestMs: 2000, keepAliveMs: 1000 } });
  });
  after(async () => {
    console.log(`      ${sent} requests sent by fast-check; statuses ${JSON.stringify([...tally].sort((a, b) => a[0] - b[0]))}`);
    await s.close(500);
  });

  it(`${HTTP_RUNS} batches of 8-16 generated requests (paths, queries, headers, methods, bodies up to 20,000 deep)`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fuzzRequest, { minLength: 8, maxLength: 16 }), async (batch) => {
          const statuses = await Promise.all(batch.map((r) => send(s.url, agent, r)));
          sent += batch.length;
          for (const st of statuses) tally.set(st, (tally.get(st) ?? 0) + 1);
          statuses.forEach((status, i) => {
            if (status >= 500) throw new Error(`${status} for ${batch[i]!.method} ${batch[i]!.path.slice(0, 200)}`);
          });
        }),
        { seed: SEED, path: PATH, numRuns: HTTP_RUNS, endOnFailure: false },
      );
    } finally {
      agent.destroy();
    }
    assert.deepEqual(logged.filter((l) => l.includes('internal error')), []);
    // with schemathesis' 1,200 or more (schemathesis.e2e.spec.ts): over 10,000 generated requests per run
    assert.ok(sent >= 8_800, `only ${sent} requests`);
  });

  it(`${RAW_RUNS} malformed raw HTTP requests get 4xx answers or a closed connection, never a 5xx`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rawRequest, async (bytes) => {
        const statuses = await sendRaw(s.port, bytes);
        sent++;
        answered += statuses.length;
        const bad = statuses.filter((st) => st >= 500);
        if (bad.length > 0) throw new Error(`${bad.join(',')} for ${JSON.stringify(bytes.slice(0, 200))}`);
      }),
      { seed: SEED, path: PATH, numRuns: RAW_RUNS },
    );
    assert.ok(answered >= RAW_RUNS / 2, `answered ${answered} of ${RAW_RUNS}`);
    assert.deepEqual(logged.filter((l) => l.includes('internal error')), []);
  });

  it('the server is healthy afterwards', async () => {
    const h = await call(s.url, '/health');
    assert.equal(h.status, 200);
    assert.equal(s.inFlight() <= 1, true);
  });
});
