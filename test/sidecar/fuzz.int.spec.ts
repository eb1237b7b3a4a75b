import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { call, mulberry32 } from './sidecarTestKit.js';

// Fixed seed so that a failure replays: MOCKJUTSU_FUZZ_SEED=<seed> npx mocha test/sidecar/fuzz.int.spec.ts
const FUZZ_SEED = Number(process.env.MOCKJUTSU_FUZZ_SEED ?? 20250501);
const HTTP_CASES = 800;
const RAW_CASES = 400;

type Rnd = () => number;
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rnd, n: number): number => Math.floor(r() * n);

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'get'];
const PATHS = [
  '/generate/event_stream', '/generate/user', '/generate/', '/generate/EVENT_STREAM', '/bulk/event_stream', '/bulk/user', '/bulk/',
  '/template', '/template/', '/sessions/k1/next', '/sessions/k1/batch', '/sessions/%2F%2F/batch', '/sessions/%ZZ/next',
  '/sessions/%E2%82%AC%20x/batch', '/sessions//next', '/health', '/types', '/openapi.json', '/', '//', '/x', '/%00',
  '/generate/%00', '/generate/..%2F..%2Fetc%2Fpasswd', '/../etc/passwd', '/generate/event_stream%3Fseed=1',
];
const PARAMS = ['seed', 'count', 'n', 'from', 'unit', 'format', 'raw', 'session', 'partition', 'users', 'start', 'type', 'junk', ''];
const VALUES = [
  '', '0', '-1', '1', '2', '7', '10', '10000', '10001', '1e9', '99999999999999999999', '9007199254740993', 'NaN', 'abc', '%ZZ', '%E2%82%AC',
  '%C3%28', 'true', 'ndjson', 'json', 'xml', 'session', 'event', 'user', 'now', '2025-01-01T00:00:00Z', '9999-99-99', 'x'.repeat(300), '%00', '+', '1.5',
];
const ACCEPTS = ['application/x-ndjson', 'application/json', '*/*', 'text/html', 'application/x-ndjson;q=0', '\u0001'.replace('\u0001', 'x/y'), ''];
const TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/jsonx', 'application/vnd.api+json', 'multipart/form-data', ''];

function body(r: Rnd): string | Buffer {
  switch (int(r, 12)) {
    case 0: return JSON.stringify({ types: [pick(r, ['event_stream', 'user', 'car', 1, null])], count: pick(r, [1, 2, 0, -1, 10001, '3', 1.5, null]), seed: pick(r, [1, 'x', '', {}, [], 2 ** 60]) });
    case 1: return '{"types":["event_stream"],"count":';
    case 2: return pick(r, ['{}', '[]', 'null', '"str"', '1', 'true', ' ', '']);
    case 3: return '['.repeat(int(r, 20000)) + ']'.repeat(int(r, 100));
    case 4: return Buffer.from(Array.from({ length: int(r, 200) }, () => int(r, 256)));
    case 5: return JSON.stringify({ types: Array.from({ length: int(r, 2000) }, (_, i) => `t${i}`), count: 1 });
    case 6: return '{"types":["user"],"count":1,"pad":"' + 'x'.repeat(1024 * 1024 + int(r, 1000)) + '"}';
    case 7: return JSON.stringify({ types: ['user', 'event_stream'], count: int(r, 5) + 1, seed: int(r, 1000), partition: pick(r, ['a', '', 'x'.repeat(600), 3]), users: pick(r, [1, 0, 5]), start: pick(r, ['now', 'bad', 0, -5, '2025-01-01']) });
    case 8: return Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]);
    case 9: return JSON.stringify({ ['__proto__']: { count: 1 }, types: ['user'], count: 1, constructor: 1 });
    case 10: return '\uFEFF{"types":["user"],"count":1}';
    default: return JSON.stringify({ types: ['user'], count: 1, extra: true });
  }
}

interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

// Valid routes with the parameters they accept: half the cases get past routing into the handlers.
const ROUTES: Array<[string, string[]]> = [
  ['/generate/event_stream', ['seed', 'session', 'partition', 'users', 'start', 'raw', 'format']],
  ['/generate/user', ['seed', 'session', 'raw', 'format']],
  ['/bulk/event_stream', ['count', 'seed', 'partition', 'format', 'raw', 'users', 'start']],
  ['/bulk/user', ['count', 'seed', 'format', 'raw']],
  ['/sessions/k%2F1/next', ['seed', 'unit', 'from', 'type']],
  ['/sessions/k%2F1/batch', ['n', 'seed', 'unit', 'from', 'format', 'type']],
];

function httpCase(r: Rnd): HttpCase {
  if (r() < 0.5) {
    const post = r() < 0.3;
    const [route, names] = pick(r, ROUTES);
    const params = names.filter(() => r() < 0.5).map((n) => `${n}=${pick(r, VALUES)}`);
    const headers: Record<string, string> = {};
    if (r() < 0.5) headers.Accept = pick(r, ACCEPTS);
    if (post) headers['Content-Type'] = pick(r, TYPES);
    return {
      method: post ? 'POST' : pick(r, ['GET', 'GET', 'HEAD']),
      path: post ? '/template' + (r() < 0.3 ? '?raw=' + pick(r, VALUES) : '') : route + (params.length > 0 ? '?' + params.join('&') : ''),
      headers,
      body: post ? body(r) : undefined,
    };
  }
  let path = pick(r, PATHS);
  if (r() < 0.2) path += '/' + encodeURIComponent(pick(r, VALUES));
  if (r() < 0.05) path = '/sessions/' + 'k'.repeat(int(r, 1200)) + '/next';
  const params = Array.from({ length: int(r, 5) }, () => `${pick(r, PARAMS)}=${pick(r, VALUES)}`);
  if (params.length > 0) path += '?' + params.join('&');
  if (r() < 0.05) path += '&&=&' + '%'.repeat(int(r, 4));
  const method = pick(r, METHODS);
  const headers: Record<string, string> = {};
  if (r() < 0.5) headers.Accept = pick(r, ACCEPTS);
  if (r() < 0.6) headers['Content-Type'] = pick(r, TYPES);
  if (r() < 0.2) headers.Authorization = pick(r, ['Bearer x', 'Basic abc', '', 'Bearer ' + 'y'.repeat(2000)]);
  if (r() < 0.1) headers['X-Junk-' + int(r, 100)] = 'v'.repeat(int(r, 4000));
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || r() < 0.1;
  return { method, path, headers, body: withBody ? body(r) : undefined };
}

function rawCase(r: Rnd): Buffer {
  const target = pick(r, ['/health', '/generate/event_stream?seed=1', '/template', '/sessions/a b/next', '/sessions/ü/next', '*', 'http://x/health', '/x\u0000y', '']);
  const line = pick(r, [
    `GET ${target} HTTP/1.1`, `GET ${target}`, `GET ${target} HTTP/9.9`, `get ${target} HTTP/1.1`, `G\u0000ET ${target} HTTP/1.1`,
    `GET  ${target}  HTTP/1.1`, `POST ${target} HTTP/1.0`, 'PRI * HTTP/2.0', `CONNECT x:443 HTTP/1.1`, `${'A'.repeat(int(r, 10000))} / HTTP/1.1`, '',
  ]);
  const eol = pick(r, ['\r\n', '\r\n', '\r\n', '\n', '\r']);
  const headers = [pick(r, ['Host: x', 'Host : x', 'Host:', '', 'Host: x\r\nHost: y'])];
  for (let i = int(r, 4); i > 0; i--) {
    headers.push(pick(r, [
      'Content-Length: 5', 'Content-Length: -1', 'Content-Length: abc', 'Content-Length: 5\r\nContent-Length: 6', 'Transfer-Encoding: chunked',
      'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Content-Type: application/json', 'No colon here',
      ' folded: continuation', 'X-Big: ' + 'b'.repeat(int(r, 20000)), 'Upgrade: websocket\r\nConnection: Upgrade', 'Expect: 100-continue',
      'Expect: teapot', 'Connection: close', 'Bad\u0001Name: x', 'X: \u0000', 'Authorization: Bearer ' + 'z'.repeat(int(r, 100)),
    ]));
  }
  const bodyPart = pick(r, ['', 'hello', '{"types":["user"],"count":1}', 'zz\r\nabc\r\n0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', '3\r\nab', Buffer.from([0, 255, 13, 10]).toString('latin1')]);
  let text = line + eol + headers.join(eol) + eol + eol + bodyPart;
  if (r() < 0.15) text = text.slice(0, int(r, text.length)); // cut short
  if (r() < 0.1) text += 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'; // pipelined
  if (r() < 0.08) return Buffer.from(Array.from({ length: int(r, 3000) + 1 }, () => int(r, 256)));
  return Buffer.from(text, 'latin1');
}

interface Outcome {
  statuses: number[];
  note: string;
}

function sendHttp(s: RunningSidecar, agent: Agent, c: HttpCase): Promise<Outcome> {
  return new Promise((resolve) => {
    let req: ReturnType<typeof httpRequest>;
    const timer = setTimeout(() => {
      req?.destroy();
      resolve({ statuses: [], note: 'no answer within 5 s' });
    }, 5000);
    try {
      req = httpRequest(s.url + c.path, { method: c.method, headers: c.headers, agent }, (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 256 * 1024) res.destroy(); // a valid huge stream: the status is all we need
        });
        res.on('end', () => resolve({ statuses: [status], note: '' }));
        res.on('close', () => resolve({ statuses: [status], note: '' }));
        res.on('error', () => resolve({ statuses: [status], note: '' }));
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        resolve({ statuses: [], note: `client error ${e.message}` });
      });
      req.end(c.body);
    } catch (e) {
      // the client itself refused the request (e.g. invalid characters): nothing was sent
      clearTimeout(timer);
      resolve({ statuses: [], note: `not sent: ${(e as Error).message}` });
    }
  });
}

function sendRaw(s: RunningSidecar, bytes: Buffer, halfClose: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(s.port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ statuses: [...got.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])), note: got.slice(0, 80) });
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes, () => {
      if (halfClose) socket.end();
    });
  });
}

async function pool<T>(items: T[], width: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  }));
}

describe(`sidecar fuzz (seed ${FUZZ_SEED}): ${HTTP_CASES + RAW_CASES} malformed requests`, () => {
  let s: RunningSidecar;
  const logged: string[] = [];
  before(async () => {
    s = await startSidecar({ port: 0, seed: 1, log: (l) => logged.push(l), timeouts: { headersMs: 1000, requestMs: 1500, keepAliveMs: 1000 } });
  });
  after(() => s.close(500));

  it('gives no 5xx, logs no internal error, and still answers /health', async function () {
    this.timeout(60_000);
    const r = mulberry32(FUZZ_SEED);
    const httpCases = Array.from({ length: HTTP_CASES }, () => httpCase(r));
    const rawCases = Array.from({ length: RAW_CASES }, () => ({ bytes: rawCase(r), halfClose: r() < 0.5 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const failures: string[] = [];
    const tally = new Map<number, number>();
    const record = (what: string, o: Outcome): void => {
      for (const st of o.statuses) tally.set(st, (tally.get(st) ?? 0) + 1);
      if (o.statuses.some((st) => st >= 500)) failures.push(`${what} -> ${o.statuses.join(',')} ${o.note}`);
    };
    await pool(httpCases, 24, async (c, i) => record(`http case #${i} ${c.method} ${c.path.slice(0, 120)}`, await sendHttp(s, agent, c)));
    await pool(rawCases, 24, async (c, i) => record(`raw case #${i} ${JSON.stringify(c.bytes.toString('latin1').slice(0, 120))}`, await sendRaw(s, c.bytes, c.halfClose)));
    agent.destroy();
    if (process.env.MOCKJUTSU_FUZZ_VERBOSE) console.log(JSON.stringify([...tally].sort((a, b) => a[0] - b[0])));
    const internal = logged.filter((l) => l.includes('internal error'));
    const replay = `replay with MOCKJUTSU_FUZZ_SEED=${FUZZ_SEED}`;
    assert.deepEqual(failures, [], `5xx answers (${replay})`);
    assert.deepEqual(internal, [], `internal errors logged (${replay})`);
    const answered = [...tally.values()].reduce((a, b) => a + b, 0);
    assert.ok(answered >= 900, `most cases got an answer: ${answered} (${replay}) ${JSON.stringify([...tally])}`);
    assert.equal((await call(s.url, '/health')).status, 200);
    assert.ok([...tally.keys()].some((k) => k >= 400 && k < 500));
  });
});
