// ${__mockjutsu_event_sourcing(mock_event,NAME)} on the real engine (JMeter 5.6.3) against the real
// sidecar (`node dist/cli.js serve --schema NAME=FILE`): each thread's values are mock events
// 0, 1, 2... of its own partition (its thread key), equal to the library's. Skips when JMeter is
// not installed, except under CI=true, where that fails.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  freePort, killChildren, removeDir, requireJars, requireJmeter, runCodePlan, Sidecar, tempDir,
} from './jmeterHarness.ts';

type SchemaFiles = typeof import('../../dist/schemaFiles/index.js');
let createEventMockerFromFile: SchemaFiles['createEventMockerFromFile'];

const SEED = '20241129';
const ENGINE = 'mock-engine';
const SCHEMAS = fileURLToPath(new URL('../fixtures/schemas/', import.meta.url));
const ORDER = join(SCHEMAS, 'openapi-order', 'order-event.yaml');
const IATK = join(SCHEMAS, 'iatk-my-event.json');
const threadKey = (group: string, n: number) => `${ENGINE}/${group}/${n}`;

describe('JMeter function __mockjutsu_event_sourcing(mock_event,NAME) on the real engine', function () {
  this.timeout(120000);
  let dir: string | undefined;
  let sidecar: Sidecar | undefined;

  before(async function () {
    requireJmeter(this);
    this.timeout(180000);
    await requireJars(this);
    ({ createEventMockerFromFile } = await import('../../dist/schemaFiles/index.js'));
    dir = tempDir();
    sidecar = await new Sidecar({ port: await freePort(), seed: SEED, args: ['--schema', `order=${ORDER}#OrderCreated`, '--schema', `iatk=${IATK}#MyEvent`] }).start();
  });

  after(async () => {
    await sidecar?.stop();
    await killChildren();
    removeDir(dir);
  });

  const props = (extra: Record<string, string | number> = {}) => ({ 'mockjutsu.url': sidecar!.url, 'mockjutsu.engine': ENGINE, ...extra });

  it('each thread gets events 0, 1, 2... of its partition, equal to createEventMockerFromFile(...).event(k, threadKey), two schemas side by side, prefetched in batches', async () => {
    const threads = 4;
    const loops = 45;
    const run = await runCodePlan({
      dir: dir!, name: 'mock-event', threads, loops,
      exprs: ['${__mockjutsu_event_sourcing(mock_event,order,mv)}', '${__mockjutsu(mock_event,iatk)}'], vars: ['mv', 'mockjutsu_error'],
      // no mockjutsu.seed: the sidecar's --seed, as event mode; batches of 8 with background prefetch
      props: props({ 'mockjutsu.batch': 8 }),
    });
    assert.equal(run.samples.length, threads * loops * 2);
    const order = await createEventMockerFromFile(ORDER, { ref: 'OrderCreated', seed: SEED });
    const iatk = await createEventMockerFromFile(IATK, { ref: 'MyEvent', seed: SEED });
    const nums = new Set<number>();
    for (let num = 1; num <= threads; num++) {
      const samples = run.samples.filter((s) => s.num === num);
      assert.equal(samples.length, loops * 2, `thread ${num}`);
      nums.add(num);
      const key = threadKey('Thread Group', num);
      samples.filter((_, i) => i % 2 === 0).forEach((s, k) => {
        assert.equal(s.vars.mockjutsu_error, '', `${key}: ${s.vars.mockjutsu_error}`);
        assert.equal(s.label, JSON.stringify(order.event(k, key)), `${key}: order event ${k}`);
        assert.equal(s.vars.mv, s.label);
      });
      samples.filter((_, i) => i % 2 === 1).forEach((s, k) => assert.equal(s.label, JSON.stringify(iatk.event(k, key)), `${key}: iatk event ${k}`));
    }
    assert.equal(nums.size, threads);
  });

  it('with -Jmockjutsu.seed the values follow that seed; an unknown name is "" and ${mockjutsu_error} lists the registered ones', async () => {
    const run = await runCodePlan({
      dir: dir!, name: 'mock-event-seed', threads: 1, loops: 3,
      exprs: ['${__mockjutsu_event_sourcing(mock_event,order)}', '${__mockjutsu_event_sourcing(mock_event,nope)}'], vars: ['mockjutsu_error'],
      props: props({ 'mockjutsu.seed': 'other', 'mockjutsu.async_prefetch': 'false' }),
    });
    const order = await createEventMockerFromFile(ORDER, { ref: 'OrderCreated', seed: 'other' });
    const key = threadKey('Thread Group', 1);
    const ok = run.samples.filter((_, i) => i % 2 === 0);
    const bad = run.samples.filter((_, i) => i % 2 === 1);
    assert.deepEqual(ok.map((s) => s.label), [0, 1, 2].map((k) => JSON.stringify(order.event(k, key))));
    for (const s of bad) {
      assert.equal(s.label, '');
      assert.match(s.vars.mockjutsu_error!, /HTTP 404 UNKNOWN_SCHEMA: unknown schema "nope"; registered: order, iatk/);
    }
  });

  it('a missing or bad schema name stops the plan with our message', async () => {
    const bad: [string, string][] = [
      ['${__mockjutsu_event_sourcing(mock_event)}', '__mockjutsu_event_sourcing: mock_event needs the NAME of a schema registered in the sidecar'],
      ['${__mockjutsu_event_sourcing(mock_event,a b)}', "__mockjutsu_event_sourcing: invalid schema name 'a b'"],
    ];
    for (const [i, [expr, message]] of bad.entries()) {
      const run = await runCodePlan({ dir: dir!, name: `mock-bad-${i}`, threads: 1, loops: 1, exprs: [expr], props: props() });
      assert.deepEqual(run.samples, [], `${expr}: no sample runs`);
      assert.ok(run.log.split('\n').some((l) => l.startsWith(`Caused by: org.apache.jmeter.functions.InvalidVariableException: ${message}`)), `${expr}\n${run.log.slice(-3000)}`);
    }
  });
});
