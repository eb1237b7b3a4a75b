import assert from 'node:assert/strict';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { call, errorOf, rawExchange } from './sidecarTestKit.js';

const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('sidecar faults found under attack (each failed before its fix)', () => {
  let s: RunningSidecar;
  const logged: string[] = [];
  before(async () => {
    s = await startSidecar({ port: 0, seed: 1, log: (line) => logged.push(line) });
  });
  after(() => s.close(1000));

  it('#4: a deeply nested body on POST /template is a 400 naming the limit, never a 5xx or a stack message', async () => {
    for (const body of [nestedArrays(100_000), nestedObjects(50_000), `{"types":${nestedArrays(5_000)},"count":1}`, `{"types":["user"],"count":1,"seed":${nestedObjects(3_000)}}`]) {
      const a = await call(s.url, '/template', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(a.status, 400, a.body.slice(0, 200));
      assert.deepEqual(errorOf(a), { code: 'BODY_TOO_DEEP', message: 'request body nests more than 64 levels deep; allowed: at most 64' });
    }
    // within the depth limit, the message still never stringifies the whole value
    const a = await call(s.url, '/template', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"types":["user"],"count":${nestedArrays(60)}}` });
    assert.equal(a.status, 400);
    assert.deepEqual(errorOf(a), { code: 'INVALID_COUNT', message: 'count is an array of 1 items nested more than 4 levels deep; allowed: an integer from 1 to 10000' });
    assert.deepEqual(logged, []);
  });

  it('#7: a 10 MB body gets its 413 to a client that writes the whole body first (Node\'s fetch)', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${s.url}/template`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024, 0x20) });
      assert.equal(response.status, 413);
      assert.deepEqual(await response.json(), {
        status: 'error',
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than the limit; allowed: at most 1048576 bytes' },
      });
    }
    assert.equal((await call(s.url, '/health')).status, 200);
  });

  it('#11: CONNECT is answered 405 with the JSON error body, not dropped', async () => {
    const answer = await rawExchange(s.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    assert.match(answer, /\r\nAllow: GET, HEAD, POST, OPTIONS\r\n/);
    assert.ok(answer.endsWith('{"status":"error","error":{"code":"METHOD_NOT_ALLOWED","message":"method \\"CONNECT\\" is not allowed; this is not a proxy"}}'), answer);
    assert.equal((await call(s.url, '/health')).status, 200);
  });
});
