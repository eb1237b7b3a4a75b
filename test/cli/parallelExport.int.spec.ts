import assert from 'node:assert/strict';
import { createSessionStream, eventStream, type SessionEvent } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { exportChunks, type ExportFormat, type ExportPlan } from '../../src/cli/exportChunks.js';
import { parallelExport as parallelSessionExport } from '../../src/cli/parallelExport.js';
import { POSITION_MARK, POSITION_MARK_TEXT, fillPositions, findMarks } from '../../src/export/positionHoles.js';
import type { DomainDefinition } from '../../src/core/domain/domainDefinition.js';
import { weirdDomain } from '../formats/weirdDomain.js';
import { runCli } from './cliHarness.js';

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

  it('through the bin: --domain NAME|FILE (a compiled domain, which holds functions, goes to workers by name or definition) and --param', async () => {
    // The command resolves --domain into a compiled domain: it crashed with "could not be cloned" before.
    for (const domain of [['--domain', 'bank', '--param', 'currency=EUR'], ['--domain', 'domains/hotel/hotel.domain.yaml'], ['--domain', 'shop']]) {
      for (const format of ['ndjson', 'csv']) {
        const args = ['export', 'event_stream', ...domain, '--seed', 'w', '--count', '150', '--partitions', '1-2', '--format', format];
        const [one, two] = await Promise.all([runCli([...args, '--workers', '1']), runCli([...args, '--workers', '2'])]);
        assert.equal(two.code, 0, `${domain.join(' ')} ${format}: ${two.stderr}`);
        assert.ok(one.stdout.length > 50_000);
        assert.equal(two.stdout.toString(), one.stdout.toString(), `${domain.join(' ')} ${format}`);
      }
    }
  });

  it('one thread (no worker: this thread stages every run) gives the same bytes too', async () => {
    // It read a run before this thread had staged it, and threw, when no worker was started.
    for (const format of ['ndjson', 'sql'] as const) {
      const plan: ExportPlan = { ...base, format, partitions: ['1', '2'] };
      assert.equal(await collect(parallelSessionExport(plan, 1, 7)), sequential(plan));
    }
  });

  it('--start now: one instant for every thread (a worker read its own clock: its runs started later)', async () => {
    // Session k starts at start + its offset within the export: against --start 0 every session
    // is off by the same "now". A worker that resolved "now" when it started was 50-150 ms late.
    const starts = async (start: string | number) => {
      const plan: ExportPlan = { ...base, count: 80, format: 'ndjson', partitions: ['1', '2'], options: { ...base.options, start } };
      const first = new Map<string, number>();
      for (const line of (await collect(parallelSessionExport(plan, 2, 4))).trimEnd().split('\n')) {
        const e = JSON.parse(line) as SessionEvent;
        const key = `${e.session_id}`;
        if (!first.has(key)) first.set(key, Date.parse(e.timestamp));
      }
      return [...first.values()];
    };
    const before = Date.now();
    const [now, zero] = [await starts('now'), await starts(0)];
    assert.equal(now.length, 160);
    const offsets = new Set(now.map((t, i) => t - zero[i]!));
    assert.equal(offsets.size, 1, `sessions started at ${offsets.size} different "now"s: ${[...offsets].join(', ')}`);
    assert.ok([...offsets][0]! >= before && [...offsets][0]! <= Date.now());
  });

  it('user records of more than a worker heap cap (--users FILE of 200,000 users, ~68 MB) go to the workers with room for them', async () => {
    // Each worker gets a copy of the records: with a fixed 96 MB heap it died ("reaching memory
    // limit"), and since the default threads exports of 50,000+ sessions, so did a plain export.
    const users = Array.from({ length: 200_000 }, (_, i) => ({
      user_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, first_name: `First${i}`, last_name: `Last${i}`, email: `user.${i}@example.com`,
      city: `City ${i % 977}`, country: `Country ${i % 193}`, preferred_payment: 'card',
      user_agent: `Mozilla/5.0 (Linux; Android 12; SM-T${i % 999}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${i % 120}.0.${i}.1 Mobile Safari/537.36`,
    }));
    const plan: ExportPlan = { ...base, count: 20, format: 'ndjson', options: { seed: 'big-users', users } };
    const one = sequential(plan);
    assert.ok(one.includes('"user_id":"00000000-0000-4000-8000-'));
    assert.equal(await collect(parallelSessionExport(plan, 2, 5)), one);
  });

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

  // Workers write each event with a mark in place of its global_position and the writer puts
  // the digits in: the mark must be found under any envelope name, absent when the domain drops
  // the field, and a payload that holds the mark's own text must not be taken for it.
  const renamed: DomainDefinition = { ...weirdDomain, domain: 'weird-renamed', envelope: { fields: { ...weirdDomain.envelope!.fields, global_position: 'seq', event_id: 'id' } } };
  const dropped: DomainDefinition = { ...weirdDomain, domain: 'weird-dropped', envelope: { fields: { ...weirdDomain.envelope!.fields, global_position: false } } };

  for (const format of ['ndjson', 'json', 'csv', 'sql'] as const satisfies readonly ExportFormat[]) {
    it(`${format}: a domain that renames global_position (and has non-ASCII, control characters, quotes) gives the single-thread bytes`, async () => {
      const plan: ExportPlan = { type: 'event_stream', format, count: 40, options: { seed: 'ren', domain: renamed }, partitions: ['a', 'b'] };
      const one = sequential(plan);
      assert.ok(one.includes(format === 'ndjson' || format === 'json' ? '"seq":' : 'seq'));
      assert.ok(!one.includes(POSITION_MARK_TEXT));
      assert.equal(await collect(parallelSessionExport(plan, 3, 3)), one);
    });
  }

  it('a domain that drops global_position: no mark to fill, the same bytes (ndjson, sql)', async () => {
    for (const format of ['ndjson', 'sql'] as const) {
      const plan: ExportPlan = { type: 'event_stream', format, count: 30, options: { seed: 'drop', domain: dropped } };
      const one = sequential(plan);
      assert.ok(!one.includes('global_position'));
      assert.equal(await collect(parallelSessionExport(plan, 2, 4)), one, format);
    }
  });

  it("payloads that hold the mark's text: those runs are written the slow way, the bytes stay the same", async () => {
    const marked: DomainDefinition = {
      ...weirdDomain,
      domain: 'marked',
      events: {
        ...weirdDomain.events,
        opened: {
          aggregate: 'Other', instance: 'new',
          payload: {
            schema: { type: 'object', properties: { label: { type: 'string' }, n: { type: 'integer' } } },
            fields: { label: `chance(0.3) ? '${POSITION_MARK_TEXT}' : 'x'`, n: `chance(0.5) ? ${POSITION_MARK} : 7` },
          },
        },
      },
    };
    for (const format of ['ndjson', 'json', 'csv', 'sql'] as const) {
      const plan: ExportPlan = { type: 'event_stream', format, count: 60, options: { seed: 'mark', domain: marked } };
      const one = sequential(plan);
      assert.ok(one.includes(POSITION_MARK_TEXT), 'some payloads hold the mark');
      assert.equal(await collect(parallelSessionExport(plan, 3, 5)), one, format);
    }
  });

  it('marks are found one per event (else none), and positions up to 2^53 fit where they were', () => {
    const text = `a${POSITION_MARK_TEXT}b\n{${POSITION_MARK_TEXT}}\n`;
    const bytes = Buffer.from(text);
    const holes = findMarks(bytes, bytes.length, 2)!;
    assert.deepEqual([...holes], [1, 1 + POSITION_MARK_TEXT.length + 3]);
    assert.equal(findMarks(bytes, bytes.length, 1), undefined);
    assert.equal(fillPositions(Buffer.from(bytes), bytes.length, holes, 99_999_999_999).toString(), 'a99999999999b\n{100000000000}\n');
    assert.equal(fillPositions(Buffer.from(bytes), bytes.length, holes, 2 ** 53 - 2).toString(), `a${2 ** 53 - 2}b\n{${2 ** 53 - 1}}\n`);
    assert.throws(() => fillPositions(Buffer.from(bytes), bytes.length, holes, 2 ** 53 - 1), /not safe integers/);
    // A '+' that is not a mark's is passed over.
    const plus = Buffer.from(`x+1e+300 ${POSITION_MARK_TEXT}+`);
    assert.deepEqual([...findMarks(plus, plus.length, 1)!], [9]);
    assert.equal(fillPositions(Buffer.from(bytes), bytes.length, holes, 9, 1).toString(), '9b\n{10}\n');
  });
});
