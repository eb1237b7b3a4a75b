import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@msgpack/msgpack';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { openSidecarData, sidecarDataPlugin, type SidecarDataOptions } from '../../src/sidecar/sidecarData.js';
import { call, errorOf, spawnServe, type Answer } from './sidecarTestKit.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function post(base: string, path: string, body?: unknown, headers: Record<string, string> = JSON_HEADERS): Promise<Answer> {
  return call(base, path, { method: 'POST', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

async function start(dir: string, options: SidecarDataOptions & { token?: string; bodyBytes?: number } = {}): Promise<RunningSidecar> {
  const { token, bodyBytes, ...dataOptions } = options;
  const data = openSidecarData({ recordsDir: join(dir, 'records'), ...dataOptions });
  return startSidecar({ port: 0, seed: 1, token, log: () => {}, plugins: [sidecarDataPlugin(data)], limits: bodyBytes ? { bodyBytes } : undefined });
}

describe('sidecar records and data pools (POST /record/:name, GET /records[/:name], GET /pools, POST /pools/:name/take)', function () {
  this.timeout(30_000);
  let dir: string;
  let s: RunningSidecar;
  const users = Array.from({ length: 1000 }, (_, i) => ({ id: i, email: `user${i}@example.com` }));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-'));
    writeFileSync(join(dir, 'users.ndjson'), users.map((u) => JSON.stringify(u) + '\n').join(''));
    writeFileSync(join(dir, 'colors.json'), JSON.stringify(['red', 'green', 'blue', 'cyan', 'magenta']));
    s = await start(dir, { pools: ['users=' + join(dir, 'users.ndjson'), 'colors=' + join(dir, 'colors.json') + ':recyclable'] });
  });
  after(async () => {
    await s?.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands every item of a non-recyclable pool out exactly once to 64 concurrent HTTP clients, then answers 410 POOL_EXHAUSTED to each', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const got: number[] = [];
    let lastFlags = 0;
    const client = async (c: number): Promise<Answer> => {
      for (let k = 0; ; k++) {
        const n = 1 + ((c * 7 + k) % 5);
        const a = await call(s.url, `/pools/users/take?n=${n}`, { method: 'POST', agent });
        if (a.status !== 200) return a;
        const body = JSON.parse(a.body) as { items: Array<{ id: number }>; exhausted: boolean; pool: string };
        assert.equal(body.pool, 'users');
        assert.ok(body.items.length >= 1 && body.items.length <= n);
        if (body.exhausted) lastFlags++;
        for (const u of body.items) got.push(u.id);
      }
    };
    const ends = await Promise.all(Array.from({ length: 64 }, (_, c) => client(c)));
    agent.destroy();
    for (const a of ends) {
      assert.equal(a.status, 410, a.body);
      const e = errorOf(a);
      assert.equal(e.code, 'POOL_EXHAUSTED');
      assert.match(e.message, /pool "users" is exhausted: all 1000 items were handed out once/);
    }
    assert.equal(got.length, users.length, 'every item handed out, none twice');
    assert.deepEqual([...got].sort((a, b) => a - b), users.map((u) => u.id));
    assert.equal(lastFlags, 1, 'exactly one answer carried the last items with exhausted: true');
    const status = JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string; remaining: number | null; position: number }> };
    assert.deepEqual(status.pools.find((p) => p.name === 'users'), { name: 'users', size: 1000, recyclable: false, position: 1000, remaining: 0, live: false });
  });

  it('goes round-robin over a recyclable pool, in order, never exhausted', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await post(s.url, '/pools/colors/take?n=3', undefined, {});
      assert.equal(a.status, 200, a.body);
      const body = JSON.parse(a.body) as { items: string[]; exhausted: boolean };
      assert.equal(body.exhausted, false);
      seen.push(...body.items);
    }
    assert.deepEqual(seen, ['red', 'green', 'blue', 'cyan', 'magenta', 'red', 'green', 'blue', 'cyan', 'magenta', 'red', 'green']);
    const one = JSON.parse((await post(s.url, '/pools/colors/take', undefined, {})).body) as { items: string[] };
    assert.deepEqual(one.items, ['blue'], 'n defaults to 1');
  });

  it('records one item or an array, reads them back as NDJSON, lists them, and the live pool of that name hands them out once', async () => {
    let a = await post(s.url, '/record/accounts', { id: 'a1', balance: 100 });
    assert.equal(a.status, 201, a.body);
    assert.deepEqual(JSON.parse(a.body), { status: 'ok', name: 'accounts', recorded: 1, pooled: true });
    a = await post(s.url, '/record/accounts', [{ id: 'a2', balance: 5 }, { id: 'a3', balance: 7, tags: ['x'] }]);
    assert.deepEqual(JSON.parse(a.body), { status: 'ok', name: 'accounts', recorded: 2, pooled: true });

    const read = await call(s.url, '/records/accounts');
    assert.equal(read.status, 200);
    assert.equal(read.headers['content-type'], 'application/x-ndjson; charset=utf-8');
    assert.equal(read.headers['x-mockjutsu-ignored-bytes'], '0');
    assert.equal(read.headers['x-mockjutsu-records'], '3');
    assert.deepEqual(read.body.trimEnd().split('\n').map((l) => JSON.parse(l)), [{ id: 'a1', balance: 100 }, { id: 'a2', balance: 5 }, { id: 'a3', balance: 7, tags: ['x'] }]);
    // the file is MessagePack, mite's format
    assert.ok(readFileSync(join(dir, 'records', 'accounts.msgpack')).length > 0);

    const list = JSON.parse((await call(s.url, '/records')).body) as { format: string; records: Array<{ name: string; format: string; bytes: number }> };
    assert.equal(list.format, 'msgpack');
    assert.deepEqual(list.records.map((r) => [r.name, r.format]), [['accounts', 'msgpack']]);

    let take = JSON.parse((await post(s.url, '/pools/accounts/take?n=2', undefined, {})).body) as { items: Array<{ id: string }>; exhausted: boolean };
    assert.deepEqual([take.items.map((i) => i.id), take.exhausted], [['a1', 'a2'], false]);
    take = JSON.parse((await post(s.url, '/pools/accounts/take?n=5', undefined, {})).body);
    assert.deepEqual([take.items.map((i) => i.id), take.exhausted], [['a3'], true]);
    const gone = await post(s.url, '/pools/accounts/take', undefined, {});
    assert.equal(gone.status, 410);
    assert.equal(errorOf(gone).code, 'POOL_EXHAUSTED');
    // a live pool grows: what is recorded later is handed out (once)
    await post(s.url, '/record/accounts', { id: 'a4' });
    take = JSON.parse((await post(s.url, '/pools/accounts/take?n=5', undefined, {})).body);
    assert.deepEqual([take.items.map((i) => i.id), take.exhausted], [['a4'], true]);
    const status = JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string; live: boolean; size: number }> };
    assert.deepEqual(status.pools.find((p) => p.name === 'accounts'), { name: 'accounts', size: 4, recyclable: false, position: 4, remaining: 0, live: true });
  });

  it('records into a name a --pool uses without touching that pool (pooled: false)', async () => {
    const a = await post(s.url, '/record/colors', '"teal"');
    assert.deepEqual(JSON.parse(a.body), { status: 'ok', name: 'colors', recorded: 1, pooled: false });
    const status = JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string; size: number }> };
    assert.equal(status.pools.find((p) => p.name === 'colors')!.size, 5);
  });

  it('reads a file a killed run left torn: the complete items, and the torn bytes in X-Mockjutsu-Ignored-Bytes', async () => {
    const whole = Buffer.concat([encode({ id: 1 }), encode({ id: 2 })]);
    const torn = encode({ id: 3, name: 'cut short' }).subarray(0, 5);
    writeFileSync(join(dir, 'records', 'torn.msgpack'), Buffer.concat([whole, torn]));
    const a = await call(s.url, '/records/torn');
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-mockjutsu-ignored-bytes'], '5');
    assert.deepEqual(a.body.trimEnd().split('\n').map((l) => JSON.parse(l)), [{ id: 1 }, { id: 2 }]);
  });

  it('answers bad input with a 4xx and the error body, never a 5xx, and loses nothing', async () => {
    const cases: Array<[string, Promise<Answer>, number, string, RegExp?]> = [
      ['unknown pool', post(s.url, '/pools/nope/take', undefined, {}), 404, 'UNKNOWN_POOL', /known: users, colors, accounts/],
      ['n=0', post(s.url, '/pools/colors/take?n=0', undefined, {}), 400, 'INVALID_QUERY', /n is "0"; allowed: an integer from 1 to 10000/],
      ['n=abc', post(s.url, '/pools/colors/take?n=abc', undefined, {}), 400, 'INVALID_QUERY'],
      ['n twice', post(s.url, '/pools/colors/take?n=1&n=2', undefined, {}), 400, 'INVALID_QUERY'],
      ['unknown query', post(s.url, '/pools/colors/take?count=2', undefined, {}), 400, 'INVALID_QUERY'],
      ['GET on take', call(s.url, '/pools/colors/take'), 405, 'METHOD_NOT_ALLOWED'],
      ['bad record name', post(s.url, '/record/..secret', { a: 1 }), 400, 'INVALID_OPTION', /record name "..secret" is not allowed/],
      ['encoded slash', post(s.url, '/record/a%2Fb', { a: 1 }), 400, 'INVALID_OPTION'],
      ['no body', post(s.url, '/record/things', undefined, {}), 400, 'MALFORMED_JSON'],
      ['empty array', post(s.url, '/record/things', []), 400, 'INVALID_RECORD', /empty array/],
      ['null item', post(s.url, '/record/things', [{ a: 1 }, null]), 400, 'INVALID_RECORD', /item 2 is null/],
      ['not JSON', post(s.url, '/record/things', '{"a":'), 400, 'MALFORMED_JSON'],
      ['text/plain', post(s.url, '/record/things', 'hello', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['too many items', post(s.url, '/record/things', Array.from({ length: 10_001 }, () => 1)), 400, 'INVALID_RECORD', /at most 10000/],
      ['unknown records', call(s.url, '/records/nothing'), 404, 'UNKNOWN_RECORDS', /known: accounts/],
      ['bad records name', call(s.url, '/records/.hidden'), 400, 'INVALID_OPTION'],
      ['query on /records', call(s.url, '/records?x=1'), 400, 'INVALID_QUERY'],
    ];
    for (const [what, pending, status, code, message] of cases) {
      const a = await pending;
      assert.equal(a.status, status, `${what}: ${a.body}`);
      const e = errorOf(a);
      assert.equal(e.code, code, what);
      if (message) assert.match(e.message, message, what);
    }
    // nothing of the refused requests reached a file or a pool
    const list = JSON.parse((await call(s.url, '/records')).body) as { records: Array<{ name: string }> };
    assert.ok(!list.records.some((r) => r.name === 'things'));
    const status = JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string }> };
    assert.ok(!status.pools.some((p) => p.name === 'things'));
  });

  it('refuses a body past the byte limit (413) and a record whose file has the other format (409)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-'));
    const small = await start(d, { bodyBytes: 1024 });
    try {
      const big = await post(small.url, '/record/big', [{ pad: 'x'.repeat(2000) }]);
      assert.equal(big.status, 413);
      assert.equal(errorOf(big).code, 'PAYLOAD_TOO_LARGE');
      writeFileSync(join(d, 'records', 'clash.ndjson'), '{"a":1}\n');
      const clash = await post(small.url, '/record/clash', { a: 2 });
      assert.equal(clash.status, 409, clash.body);
      assert.equal(errorOf(clash).code, 'RECORD_CONFLICT');
      assert.ok(!errorOf(clash).message.includes(d), 'no server path in the message');
      assert.equal(readFileSync(join(d, 'records', 'clash.ndjson'), 'utf8'), '{"a":1}\n');
    } finally {
      await small.close(1000);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('checks the token on every record and pool route', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-'));
    const guarded = await start(d, { token: 'sekret', pools: ['users=' + join(dir, 'users.ndjson')] });
    try {
      for (const [method, path] of [['GET', '/pools'], ['POST', '/pools/users/take'], ['POST', '/record/x'], ['GET', '/records'], ['GET', '/records/x']] as const) {
        const a = await call(guarded.url, path, { method, headers: JSON_HEADERS, body: method === 'POST' ? '{}' : undefined });
        assert.equal(a.status, 401, `${method} ${path}`);
        assert.equal(errorOf(a).code, 'UNAUTHORIZED');
      }
      const ok = await call(guarded.url, '/pools/users/take', { method: 'POST', headers: { authorization: 'Bearer sekret' } });
      assert.equal(ok.status, 200);
    } finally {
      await guarded.close(1000);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('documents the routes in /openapi.json (with the error responses); without a recorder only the pool routes are served', async () => {
    const doc = JSON.parse((await call(s.url, '/openapi.json')).body) as { paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${p}`));
    for (const route of ['POST /record/{name}', 'GET /records', 'GET /records/{name}', 'GET /pools', 'POST /pools/{name}/take']) {
      assert.ok(ops.includes(route), route);
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]![method.toLowerCase()]!;
      assert.ok(op.summary, route);
      for (const st of ['400', '401', '404']) assert.ok(op.responses[st], `${route} ${st}`);
    }
    assert.ok(doc.paths['/pools/{name}/take']!.post!.responses['410']);
    assert.ok(doc.components.schemas.PoolDraw && doc.components.schemas.Recorded);

    const d = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-'));
    const poolsOnly = await startSidecar({ port: 0, log: () => {}, plugins: [sidecarDataPlugin(openSidecarData({ pools: ['u=' + join(dir, 'users.ndjson')] }))] });
    try {
      const a = await post(poolsOnly.url, '/record/x', { a: 1 });
      assert.equal(a.status, 404);
      const none = await post(poolsOnly.url, '/pools/zzz/take', undefined, {});
      assert.match(errorOf(none).message, /known: u; start mockjutsu serve with --pool/);
    } finally {
      await poolsOnly.close(1000);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('mockjutsu serve --records-dir --record-format ndjson --pool NAME=FILE[:recyclable] serves them; a bad --pool is a usage error', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mockjutsu-pools-'));
    const child = await spawnServe(['--port', '0', '--records-dir', join(d, 'rec'), '--record-format', 'ndjson', '--pool', 'users=' + join(dir, 'users.ndjson'), '--pool', 'colors=' + join(dir, 'colors.json') + ':recyclable']);
    try {
      const take = JSON.parse((await post(child.url, '/pools/users/take?n=2', undefined, {})).body) as { items: unknown[] };
      assert.deepEqual(take.items, users.slice(0, 2));
      assert.equal((await post(child.url, '/record/people', [{ a: 1 }])).status, 201);
      assert.equal(readFileSync(join(d, 'rec', 'people.ndjson'), 'utf8'), '{"a":1}\n');
      assert.match(child.stderr(), /pool users: 1000 items, each handed out once/);
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    try {
      await assert.rejects(spawnServe(['--port', '0', '--pool', 'users=' + join(d, 'missing.ndjson')]), /exited with 2 before listening; stderr: mockjutsu serve: .*no such file/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
