import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionStream } from '../../src/core/index.js';
import { ndjsonChunks } from '../../src/formats/index.js';
import { AUTO_THREADS_MAX, AUTO_THREADS_MIN_PER_PARTITION, AUTO_THREADS_MIN_SESSIONS } from '../../src/cli/exportThreads.js';
import { runCli } from './cliHarness.js';

const PING = fileURLToPath(new URL('../fixtures/domains/ping.domain.json', import.meta.url));

// Splitting an export across machines: --partitions ranges give disjoint shards whose union is
// the whole range, --workers never changes a byte, and verify takes the shards together.
describe('export --partitions shards and --workers (e2e, dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mj-shards-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const exportTo = async (file: string, ...args: string[]) => {
    const r = await runCli(['export', 'event_stream', '--seed', 'shard', '--count', '30', '--out', join(dir, file), ...args]);
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(join(dir, file), 'utf8');
  };

  it('two machines with 1-3 and 4-6 write what one machine writes for 1-6, each partition its own stream', async () => {
    const whole = await exportTo('all.ndjson', '--partitions', '1-6', '--workers', '2');
    const a = await exportTo('a.ndjson', '--partitions', '1-3', '--workers', '1');
    const b = await exportTo('b.ndjson', '--partitions', '4-6');
    assert.equal(a + b, whole);
    let expected = '';
    for (const p of ['1', '2', '3']) {
      const stream = createSessionStream({ seed: 'shard', partition: p });
      expected += [...ndjsonChunks(Array.from({ length: 30 }, () => stream.nextSession()))].join('');
    }
    assert.equal(a, expected);
    const ids = (text: string) => new Set(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { event_id: string }).event_id));
    const [idsA, idsB] = [ids(a), ids(b)];
    assert.equal([...idsA].filter((id) => idsB.has(id)).length, 0, 'the shards share no event');
  });

  for (const format of ['csv', 'sql', 'json'] as const) {
    it(`${format}: --workers 1 and --workers 3 write the same bytes`, async () => {
      const one = await exportTo(`w1.${format}`, '--workers', '1', '--count', '1200');
      const three = await exportTo(`w3.${format}`, '--workers', '3', '--count', '1200');
      assert.ok(one.length > 500_000);
      assert.equal(three, one);
    });
  }

  it('without --workers: 50,000 sessions or more run on the cores, fewer (or few a partition, or user records) on one thread, the same bytes', async () => {
    // NODE_DEBUG=worker: Node logs each worker thread it starts on stderr.
    const env = { ...process.env, NODE_DEBUG: 'worker' };
    const run = async (count: number, ...args: string[]) => {
      const r = await runCli(['export', 'event_stream', '--domain', PING, '--seed', 'auto', '--count', String(count), ...args], { env });
      assert.equal(r.code, 0, r.stderr);
      return { sha: createHash('sha256').update(r.stdout).digest('hex'), workers: r.stderr.split('instantiating Worker').length - 1, bytes: r.stdout.length };
    };
    const [auto, one, below] = await Promise.all([run(AUTO_THREADS_MIN_SESSIONS), run(AUTO_THREADS_MIN_SESSIONS, '--workers', '1'), run(AUTO_THREADS_MIN_SESSIONS - 1)]);
    assert.ok(one.bytes > 20_000_000, `${one.bytes} bytes`);
    assert.equal(auto.sha, one.sha);
    assert.equal(one.workers, 0);
    assert.equal(below.workers, 0);
    assert.equal(auto.workers, Math.min(availableParallelism(), AUTO_THREADS_MAX) - 1);
    // Many partitions of few sessions, or user records copied to every worker: one thread.
    writeFileSync(join(dir, 'users.ndjson'), ['u-1', 'u-2', 'u-3'].map((id) => JSON.stringify({ user_id: id })).join('\n') + '\n');
    const [small, users] = await Promise.all([
      run(AUTO_THREADS_MIN_PER_PARTITION - 1, '--partitions', `1-${Math.ceil(AUTO_THREADS_MIN_SESSIONS / (AUTO_THREADS_MIN_PER_PARTITION - 1))}`),
      run(AUTO_THREADS_MIN_SESSIONS, '--users', join(dir, 'users.ndjson')),
    ]);
    assert.equal(small.workers, 0);
    assert.equal(users.workers, 0);
    assert.ok(users.bytes > 20_000_000);
  });

  it('bulk takes --workers too: the bytes of export --format json', async () => {
    const bulk = await runCli(['bulk', 'event_stream', '--seed', 'shard', '--count', '300', '--workers', '2']);
    assert.equal(bulk.code, 0, bulk.stderr);
    const json = await exportTo('bulk.json', '--count', '300', '--workers', '1');
    assert.ok(json.length > 100_000);
    assert.equal(bulk.stdout.toString('utf8'), json);
  });

  it('verify takes the shards together (exit 0) and reports the missing shard as lost (exit 1)', async () => {
    const both = await runCli(['verify', '--seed', 'shard', '--partitions', '1-6', '--sessions', '30', '--against', join(dir, 'a.ndjson'), '--against', join(dir, 'b.ndjson')]);
    assert.equal(both.code, 0, both.stdout.toString() + both.stderr);
    const one = await runCli(['verify', '--seed', 'shard', '--partitions', '1-6', '--sessions', '30', '--against', join(dir, 'a.ndjson')]);
    assert.equal(one.code, 1);
    assert.match(one.stdout.toString(), /lost/);
  });

  it('refuses --partitions with --partition, for other types, and a bad --workers', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', 'event_stream', '--count', '1', '--partition', '1', '--partitions', '1-2'], /--partition and --partitions exclude each other/],
      [['export', 'user', '--count', '1', '--partitions', '1-2'], /--partitions applies to event_stream only/],
      [['export', 'user', '--count', '1', '--partitions', '1-2', '--envelope', 'cloudevents'], /--partitions applies to event_stream only/],
      [['export', 'event_stream', '--count', '1', '--workers', '0'], /--workers is "0"; allowed: an integer from 1 to 64/],
      [['export', 'event_stream', '--count', '1', '--partitions', '3-1'], /--partitions: range 3-1 goes down/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
