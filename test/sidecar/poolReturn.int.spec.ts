// POST /pools/:name/take?holder=H answers tickets; POST /pools/:name/return gives back the items
// a holder took and did not use (what the JMeter function does at test end), on a real sidecar
// on 127.0.0.1: 64 concurrent clients fetch ahead and give back their leftovers, and every item
// is still used exactly once, none lost; a ticket the holder does not hold is refused whole.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSidecar, type RunningSidecar } from '../../src/sidecar/index.js';
import { openSidecarData, sidecarDataPlugin } from '../../src/sidecar/sidecarData.js';
import { call, errorOf, type Answer } from './sidecarTestKit.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function post(base: string, path: string, body?: unknown, agent?: Agent): Promise<Answer> {
  return call(base, path, { method: 'POST', headers: body === undefined ? {} : JSON_HEADERS, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), agent });
}

interface Draw { items: Array<{ id: number }>; tickets: number[]; exhausted: boolean; recyclable: boolean }

describe('sidecar pool give-back (POST /pools/:name/take?holder=, POST /pools/:name/return)', function () {
  this.timeout(30_000);
  const SIZE = 2000;
  let dir: string;
  let s: RunningSidecar;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'i11b-return-'));
    writeFileSync(join(dir, 'users.ndjson'), Array.from({ length: SIZE }, (_, id) => JSON.stringify({ id }) + '\n').join(''));
    writeFileSync(join(dir, 'small.ndjson'), Array.from({ length: 10 }, (_, id) => JSON.stringify({ id }) + '\n').join(''));
    writeFileSync(join(dir, 'colors.json'), JSON.stringify(['red', 'green']));
    const data = openSidecarData({ pools: [`users=${join(dir, 'users.ndjson')}`, `small=${join(dir, 'small.ndjson')}`, `colors=${join(dir, 'colors.json')}:recyclable`] });
    s = await startSidecar({ port: 0, host: '127.0.0.1', seed: 1, log: () => {}, plugins: [sidecarDataPlugin(data)] });
  });
  after(async () => {
    await s?.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('64 concurrent clients fetch ahead, use some, give the rest back: every item used exactly once, none lost', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const used: number[] = [];
    let returned = 0;
    const client = async (c: number): Promise<void> => {
      const holder = `engine-${c % 4}/client-${c}`;
      for (let k = 0; ; k++) {
        const a = await post(s.url, `/pools/users/take?n=${1 + ((c + k) % 9)}&holder=${encodeURIComponent(holder)}`, undefined, agent);
        if (a.status === 410) return;
        assert.equal(a.status, 200, a.body);
        const d = JSON.parse(a.body) as Draw;
        assert.equal(d.tickets.length, d.items.length);
        // tickets are the pool indexes: item {id} is line id of the file
        d.items.forEach((item, i) => assert.equal(item.id, d.tickets[i]));
        const keep = (c + k) % 3; // use the first `keep`, give back the rest
        for (const item of d.items.slice(0, keep)) used.push(item.id);
        const back = d.tickets.slice(keep);
        if (back.length > 0) {
          const r = await post(s.url, '/pools/users/return', { holder, tickets: back }, agent);
          assert.equal(r.status, 200, r.body);
          const body = JSON.parse(r.body) as { returned: number; remaining: number; pool: string };
          assert.equal(body.returned, back.length);
          assert.equal(body.pool, 'users');
          returned += back.length;
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, (_, c) => client(c)));
    agent.destroy();
    assert.equal(used.length, SIZE, 'every item used');
    assert.deepEqual([...used].sort((a, b) => a - b), Array.from({ length: SIZE }, (_, i) => i), 'each exactly once');
    assert.ok(returned > SIZE / 2, `items were given back and handed out again (${returned})`);
    const status = JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string; position: number; remaining: number }> };
    assert.deepEqual(status.pools.find((p) => p.name === 'users'), { name: 'users', size: SIZE, recyclable: false, position: SIZE, remaining: 0, live: false });
  });

  it('refuses tickets the holder does not hold (409 POOL_NOT_HELD, nothing put back), a recyclable pool (409) and bad bodies (400)', async () => {
    const take = async (n: number, holder: string): Promise<Draw> => JSON.parse((await post(s.url, `/pools/small/take?n=${n}&holder=${holder}`)).body) as Draw;
    const a = await take(4, 'A');
    assert.deepEqual(a.tickets, [0, 1, 2, 3]);
    assert.deepEqual(a.items.map((i) => i.id), [0, 1, 2, 3]);
    assert.deepEqual((await take(2, 'B')).tickets, [4, 5]);
    const remaining = async (): Promise<number> => (JSON.parse((await call(s.url, '/pools')).body) as { pools: Array<{ name: string; remaining: number }> }).pools.find((p) => p.name === 'small')!.remaining;
    assert.equal(await remaining(), 4);
    const cases: Array<[string, Promise<Answer>, number, string, RegExp?]> = [
      ['another holder\'s ticket', post(s.url, '/pools/small/return', { holder: 'A', tickets: [3, 4] }), 409, 'POOL_NOT_HELD', /holder "A" does not hold ticket\(s\) 4 .*nothing was given back/],
      ['a ticket never handed out', post(s.url, '/pools/small/return', { holder: 'A', tickets: [9] }), 409, 'POOL_NOT_HELD'],
      ['listed twice', post(s.url, '/pools/small/return', { holder: 'A', tickets: [1, 1] }), 409, 'POOL_NOT_HELD', /listed twice/],
      ['unknown holder', post(s.url, '/pools/small/return', { holder: 'Z', tickets: [0] }), 409, 'POOL_NOT_HELD'],
      ['recyclable pool', post(s.url, '/pools/colors/return', { holder: 'A', tickets: [0] }), 409, 'RECYCLABLE_POOL', /nothing to give back/],
      ['unknown pool', post(s.url, '/pools/nope/return', { holder: 'A', tickets: [0] }), 404, 'UNKNOWN_POOL'],
      ['no body', post(s.url, '/pools/small/return'), 400, 'MALFORMED_JSON'],
      ['no holder', post(s.url, '/pools/small/return', { tickets: [0] }), 400],
      ['empty tickets', post(s.url, '/pools/small/return', { holder: 'A', tickets: [] }), 400],
      ['negative ticket', post(s.url, '/pools/small/return', { holder: 'A', tickets: [-1] }), 400],
      ['holder with a space', post(s.url, '/pools/small/take?holder=a%20b'), 400, 'INVALID_QUERY'],
    ];
    for (const [what, pending, status, code, message] of cases) {
      const r = await pending;
      assert.equal(r.status, status, `${what}: ${r.body}`);
      const e = errorOf(r);
      if (code) assert.equal(e.code, code, what);
      if (message) assert.match(e.message, message, what);
    }
    assert.equal(await remaining(), 4, 'nothing of the refused returns was put back');
    const ok = await post(s.url, '/pools/small/return', { holder: 'A', tickets: [3, 1] });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(JSON.parse(ok.body), { status: 'ok', pool: 'small', returned: 2, remaining: 6 });
    const again = await post(s.url, '/pools/small/return', { holder: 'A', tickets: [3] });
    assert.equal(again.status, 409, 'a ticket given back is no longer held');
    const c = await take(10, 'C');
    assert.deepEqual(c.tickets, [3, 1, 6, 7, 8, 9], 'given-back items first, then new ones');
    assert.equal(c.exhausted, true);
    // without a holder: no tickets (the draw cannot be given back)
    const plain = JSON.parse((await post(s.url, '/pools/colors/take?n=2&holder=A')).body) as Record<string, unknown>;
    assert.deepEqual(plain, { status: 'ok', pool: 'colors', recyclable: true, items: ['red', 'green'], exhausted: false });
  });
});
