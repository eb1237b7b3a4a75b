// The JMeter function __mockjutsu_pool on the real engine (JMeter 5.6.3) against the real
// sidecar (`node dist/cli.js serve --pool ...`): 32 threads draw a non-recyclable pool, every
// item exactly once, then exhaustion; two engines (JVMs) share one pool; a recyclable pool goes
// round-robin. Skips when JMeter is not installed, except under CI=true, where that fails.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSessionStream } from '../../src/core/index.js';
import {
  freePort, killChildren, removeDir, requireJars, requireJmeter, runCodePlan, Sidecar, startCodePlan, tempDir, type SampleLine,
} from './jmeterHarness.ts';

const USERS = 500;
const COLORS = ['red', 'green', 'blue', 'cyan', 'magenta'];
// the sidecar's message, the same on every surface
const EXHAUSTED = /^mockjutsu sidecar http:\/\/127\.0\.0\.1:\d+: pool "(\w+)" is exhausted: all 500 items were handed out once and a non-recyclable pool never repeats one; record more items, draw fewer, or make the pool recyclable \[POST \/pools\/\w+\/take\]$/;

function byThread(samples: SampleLine[]): Map<string, SampleLine[]> {
  const m = new Map<string, SampleLine[]>();
  for (const s of samples) {
    if (!m.has(s.thread)) m.set(s.thread, []);
    m.get(s.thread)!.push(s);
  }
  return m;
}

/** The ids of the items drawn, checking each sample's variables. */
function drawn(samples: SampleLine[], pool: string): { ids: number[]; exhausted: SampleLine[] } {
  const ids: number[] = [];
  const exhausted: SampleLine[] = [];
  for (const s of samples) {
    assert.ok(!s.label.includes('${__mockjutsu_pool'), `not expanded: ${s.label}`);
    if (s.label === '') {
      assert.match(s.vars.mockjutsu_error ?? '', EXHAUSTED, `an empty value comes with the exhaustion message: ${JSON.stringify(s.vars)}`);
      assert.equal(EXHAUSTED.exec(s.vars.mockjutsu_error!)![1], pool);
      exhausted.push(s);
      continue;
    }
    assert.equal(s.vars.mockjutsu_error, '', `a drawn item clears mockjutsu_error: ${s.vars.mockjutsu_error}`);
    const item = JSON.parse(s.label) as { id: number; email: string };
    assert.equal(item.email, `user${item.id}@example.com`);
    ids.push(item.id);
  }
  return { ids, exhausted };
}

describe('JMeter function __mockjutsu_pool on the real engine', function () {
  this.timeout(120_000);
  let dir: string | undefined;
  let sidecar: Sidecar | undefined;

  before(async function () {
    requireJmeter(this);
    this.timeout(180_000);
    await requireJars(this);
    dir = tempDir();
    const users = Array.from({ length: USERS }, (_, id) => JSON.stringify({ id, email: `user${id}@example.com` }) + '\n').join('');
    writeFileSync(join(dir, 'users.ndjson'), users);
    writeFileSync(join(dir, 'colors.json'), JSON.stringify(COLORS));
    sidecar = await new Sidecar({
      port: await freePort(),
      args: ['--pool', `users=${join(dir, 'users.ndjson')}`, '--pool', `shared=${join(dir, 'users.ndjson')}`, '--pool', `left=${join(dir, 'users.ndjson')}`, '--pool', `people=${join(dir, 'users.ndjson')}`,
        '--pool', `colors=${join(dir, 'colors.json')}:recyclable`],
    }).start();
  });

  after(async () => {
    await sidecar?.stop();
    await killChildren();
    removeDir(dir);
  });

  it('32 threads draw a non-recyclable pool: every item exactly once, then "" with mockjutsu_error set and one log line; a recyclable pool goes round-robin', async () => {
    const threads = 32;
    const loops = 20; // 640 draws of 500 items
    const run = await runCodePlan({
      dir: dir!, name: 'pool-32', threads, loops,
      exprs: ['${__mockjutsu_pool(users,user)}', '${__mockjutsu_pool(colors)}', '${__mockjutsu_pool(nope,other)}'], vars: ['user', 'other', 'mockjutsu_error'],
      props: { 'mockjutsu.url': sidecar!.url },
    });
    assert.equal(run.samples.length, threads * loops * 3, 'threads go on after exhaustion (no stop asked)');
    // each thread samples users, colors, then an unknown pool, every iteration, in order
    const users: SampleLine[] = [];
    const colors: SampleLine[] = [];
    const unknown: SampleLine[] = [];
    for (const samples of byThread(run.samples).values()) samples.forEach((s, i) => [users, colors, unknown][i % 3]!.push(s));
    assert.equal(users.length, threads * loops);
    for (const s of users) assert.equal(s.vars.user, s.label, 'the variable argument receives the same value');
    const { ids, exhausted } = drawn(users, 'users');
    assert.equal(ids.length, USERS, 'every item handed out');
    assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: USERS }, (_, i) => i), 'each exactly once');
    assert.equal(exhausted.length, threads * loops - USERS);
    // once a thread saw exhaustion, it sees nothing else from that pool
    for (const [thread, samples] of byThread(users)) {
      const first = samples.findIndex((s) => s.label === '');
      if (first >= 0) assert.ok(samples.slice(first).every((s) => s.label === ''), `${thread} got an item after exhaustion`);
    }
    // an unknown pool: "", mockjutsu_error says so and lists the pools, one ERROR line per thread
    for (const s of unknown) {
      assert.equal(s.label, '');
      assert.equal(s.vars.other, '');
      assert.match(s.vars.mockjutsu_error ?? '', /HTTP 404 UNKNOWN_POOL: unknown pool "nope"; known: users, shared, left, people, colors.*\[POST \/pools\/nope\/take\]$/);
    }
    assert.equal(run.log.split('\n').filter((l) => l.includes(' ERROR ') && l.includes('UNKNOWN_POOL')).length, threads, 'one ERROR line per thread');
    const warnings = run.log.split('\n').filter((l) => l.includes('pool "users" is exhausted'));
    assert.equal(warnings.length, 1, `logged once per pool:\n${warnings.join('\n')}`);
    assert.match(warnings[0]!, / WARN /);

    // recyclable: the engine's threads share one buffer filled in the sidecar's round-robin
    // order and emptied first in, first out, so what they drew is a prefix of that order: each
    // color as often as the others, give or take one
    assert.equal(colors.length, threads * loops);
    for (const s of colors) assert.ok(COLORS.includes(s.label), `a recyclable pool always gives an item: ${JSON.stringify(s)}`);
    const counts = COLORS.map((c) => colors.filter((s) => s.label === c).length);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `round-robin: ${counts.join(', ')}`);
  });

  it('two engines (JVMs, 16 threads each, prefetch 3) share one non-recyclable pool through the sidecar: no item twice, each thread stopped at exhaustion (-Jmockjutsu.pool.stopThreadOnExhausted=true)', async () => {
    const plan = (engine: string) => startCodePlan({
      dir: dir!, name: `pool-${engine}`, threads: 16, loops: 400, // more than the pool can give: threads end by exhaustion
      exprs: ['${__mockjutsu_pool(shared)}'], vars: ['mockjutsu_error'],
      props: { 'mockjutsu.url': sidecar!.url, 'mockjutsu.engine': engine, 'mockjutsu.pool.prefetch': 3, 'mockjutsu.pool.stopThreadOnExhausted': 'true' },
    }).done;
    const runs = await Promise.all([plan('engine-a'), plan('engine-b')]);
    const all = runs.flatMap((r) => r.samples);
    const { ids, exhausted } = drawn(all, 'shared');
    assert.equal(new Set(ids).size, ids.length, 'no item twice, across both engines');
    // every thread drew until the pool ran out, so no prefetched item was left unused
    assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: USERS }, (_, i) => i));
    for (const [i, r] of runs.entries()) {
      const threads = byThread(r.samples);
      assert.equal(threads.size, 16);
      for (const [thread, samples] of threads) {
        assert.equal(samples.filter((s) => s.label === '').length, 1, `engine ${i} ${thread}: one exhausted sample`);
        assert.equal(samples[samples.length - 1]!.label, '', `engine ${i} ${thread}: stopped right after exhaustion`);
      }
      assert.ok(r.samples.length < 16 * 400, 'threads were stopped before their last loop');
      assert.equal(r.log.split('\n').filter((l) => l.includes('pool "shared" is exhausted')).length, 1, `engine ${i}: logged once`);
    }
    assert.equal(exhausted.length, 32);
    assert.equal(all.length, USERS + 32);
  });

  it('prefetched but unused items go back to the pool at test end: 32 threads use 320 of 500 items, the sidecar has exactly 180 left, and a second run uses those 180, so every item is used exactly once', async () => {
    const remaining = async (): Promise<{ position: number; remaining: number }> => {
      const body = await (await fetch(`${sidecar!.url}/pools`)).json() as { pools: Array<{ name: string; position: number; remaining: number }> };
      const p = body.pools.find((x) => x.name === 'left')!;
      return { position: p.position, remaining: p.remaining };
    };
    const props = { 'mockjutsu.url': sidecar!.url, 'mockjutsu.pool.prefetch': 64 };
    const first = await runCodePlan({ dir: dir!, name: 'pool-left-1', threads: 32, loops: 10, exprs: ['${__mockjutsu_pool(left)}'], vars: ['mockjutsu_error'], props });
    const a = drawn(first.samples, 'left');
    assert.equal(a.ids.length, 320);
    assert.equal(a.exhausted.length, 0);
    assert.equal(new Set(a.ids).size, 320, 'no item twice');
    // the engine fetched ahead (64 at a time) and gave back what no thread used
    const given = /gave (\d+) prefetched but unused item\(s\) of pool left back to the sidecar/.exec(first.log);
    assert.ok(given, `the give-back is logged:\n${first.log.split('\n').filter((l) => l.includes('mockjutsu')).join('\n')}`);
    assert.ok(Number(given[1]) >= 1 && Number(given[1]) <= 64, `at most one prefetch was left over: ${given[1]}`);
    assert.deepEqual(await remaining(), { position: 320, remaining: 180 }, 'none lost: the pool has exactly the unused items');

    const second = await runCodePlan({
      dir: dir!, name: 'pool-left-2', threads: 32, loops: 10, exprs: ['${__mockjutsu_pool(left)}'], vars: ['mockjutsu_error'],
      props: { ...props, 'mockjutsu.pool.stopThreadOnExhausted': 'true' },
    });
    const b = drawn(second.samples, 'left');
    assert.equal(b.ids.length, 180);
    assert.deepEqual([...a.ids, ...b.ids].sort((x, y) => x - y), Array.from({ length: USERS }, (_, i) => i), 'each item used exactly once over both runs');
    assert.deepEqual(await remaining(), { position: 500, remaining: 0 });
    assert.ok(!/gave \d+ prefetched/.test(second.log), 'nothing left to give back after exhaustion');
  });

  it('a thread that drew a user asks the sidecar for that user\'s session (?user=${__urlencode(${user})}): byte-equal to createSessionStream({ seed, users: [record], partition })', async () => {
    const run = await runCodePlan({
      dir: dir!, name: 'pool-people', threads: 4, loops: 3,
      exprs: ['${__mockjutsu_pool(people,user)}', '${__urlencode(${user})}'], vars: ['user'],
      props: { 'mockjutsu.url': sidecar!.url },
    });
    const byThreadSamples = byThread(run.samples);
    let checked = 0;
    for (const samples of byThreadSamples.values()) {
      for (let i = 0; i + 1 < samples.length; i += 2) {
        const record = JSON.parse(samples[i]!.label) as { id: number; email: string };
        const encoded = samples[i + 1]!.label;
        assert.equal(decodeURIComponent(encoded.replace(/\+/g, ' ')), samples[i]!.label, 'JMeter encoded the drawn record');
        const a = await fetch(`${sidecar!.url}/sessions/user-${record.id}/next?unit=session&seed=7&user=${encoded}`);
        assert.equal(a.status, 200);
        const body = await a.text();
        assert.equal(body, JSON.stringify(createSessionStream({ seed: 7, users: [record], partition: `user-${record.id}` }).nextSession()));
        checked++;
      }
    }
    assert.equal(checked, 12);
  });
});
