import assert from 'node:assert/strict';
import { createSessionStream, eventStream, type SessionEvent } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { exportChunks, type ExportFormat, type ExportPlan } from '../../src/cli/exportChunks.js';
import { parallelSessionExport } from '../../src/cli/parallelExport.js';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

const sequential = (plan: ExportPlan): string => [...exportChunks(plan)].join('');

describe('export --workers: parallel runs give the single-thread bytes (int, worker threads)', function () {
  this.timeout(120_000);
  const base = { type: 'event_stream', count: 61, options: { seed: 'par', users: 50 } } as const;

  for (const format of ['ndjson', 'json', 'csv', 'sql'] as const satisfies readonly ExportFormat[]) {
    it(`${format}: 3 workers and runs of 7 sessions (runs cross SQL statements and partitions) equal one thread`, async () => {
      const plan: ExportPlan = { ...base, format, partitions: ['1', '2', 'vu-3'] };
      const one = sequential(plan);
      assert.ok(one.length > 10_000);
      assert.equal(await collect(parallelSessionExport(plan, 3, 7)), one);
    });
  }

  it('sql in the mysql dialect into schema.table, and json --pretty: still the same bytes', async () => {
    const sql: ExportPlan = { ...base, format: 'sql', dialect: 'mysql', table: 'shop.events' };
    assert.equal(await collect(parallelSessionExport(sql, 2, 5)), sequential(sql));
    const pretty: ExportPlan = { ...base, count: 9, format: 'json', pretty: true };
    assert.equal(await collect(parallelSessionExport(pretty, 2, 2)), sequential(pretty));
  });

  it('each partition is its own stream: positions from 1, the sessions createSessionStream gives', async () => {
    const plan: ExportPlan = { ...base, count: 12, format: 'ndjson', partitions: ['4', '5'] };
    const lines = (await collect(parallelSessionExport(plan, 2, 5))).trimEnd().split('\n').map((l) => JSON.parse(l) as SessionEvent);
    const expected: SessionEvent[] = [];
    for (const p of ['4', '5']) {
      const stream = createSessionStream({ seed: 'par', users: 50, partition: p });
      for (let i = 0; i < 12; i++) expected.push(...stream.nextSession());
    }
    assert.deepEqual(lines, expected);
    assert.equal(lines[0]!.global_position, 1);
    assert.equal(lines.find((e, i) => i > 0 && e.global_position === 1)?.user_id, expected.find((e, i) => i > 0 && e.global_position === 1)?.user_id);
  });

  it('without --partitions: the bytes of ndjsonChunks(eventStream) of the one partition', async () => {
    const plan: ExportPlan = { ...base, format: 'ndjson', options: { ...base.options, partition: '9' } };
    assert.equal(await collect(parallelSessionExport(plan, 2, 10)), [...ndjsonChunks(eventStream({ seed: 'par', users: 50, partition: '9', sessions: 61 }))].join(''));
  });

  it('counts progress per run and stops its workers when the reader stops early', async () => {
    const counter = { items: 0, events: 0 };
    const plan: ExportPlan = { ...base, count: 40, format: 'ndjson', counter };
    const it = parallelSessionExport(plan, 2, 10);
    await it.next(); // head
    await it.next(); // run 0
    assert.equal(counter.items, 10);
    assert.ok(counter.events >= 20);
    await it.return(undefined);
    assert.deepEqual(await it.next(), { done: true, value: undefined });
  });
});
