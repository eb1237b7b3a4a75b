import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createGenerator, type SessionEvent } from '../../src/core/index.js';
import { JsonlEventStore } from '../../src/store/index.js';
import { startReplaySidecar, type RunningReplaySidecar } from '../../src/replay/index.js';
import type { VerifyReport } from '../../src/verify/index.js';
import { CLI, postEvent, postSession, repoRoot, tempDir } from '../replay/replayKit.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js ...args` (async, so an in-process sidecar keeps answering). */
function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mockjutsu verify end to end (dist/cli.js against a sidecar URL and its JSONL file)', function () {
  this.timeout(60_000);
  const tmp = tempDir('verify');
  const file = join(tmp.dir, 'events.jsonl');
  const seed = 'verify-e2e';
  const partitions = ['1', '2', '3', 'vu-1', 'vu-2']; // k6 VU ids and JMeter-style keys
  const partitionArg = '1-3,vu-1,vu-2';
  const sessions = 4;
  const generator = createGenerator({ seed });
  const streams: SessionEvent[][] = partitions.flatMap((p) => {
    const stream = generator.stream(p);
    return Array.from({ length: sessions }, () => stream.nextSession());
  });
  const args = (against: string, report: string): string[] =>
    ['verify', '--seed', seed, '--partitions', partitionArg, '--sessions', String(sessions), '--against', against, '--report', report];
  let sidecar: RunningReplaySidecar | undefined;

  before(async function () {
    this.timeout(120_000);
    sidecar = await startReplaySidecar({ port: 0, store: file, log: () => {} });
    // Event by event (k6 01/03) for numeric partitions, whole sessions (k6 02) for the others,
    // and a few retries of stored events the store answers idempotently.
    for (const [i, session] of streams.entries()) {
      if (i % 2 === 0) {
        for (const e of session) assert.equal((await postEvent(sidecar.url, e)).status, 201);
        assert.equal((await postEvent(sidecar.url, session[0]!)).status, 200, 'a retried write');
      } else {
        assert.equal((await postSession(sidecar.url, session)).status, 201);
      }
    }
  });
  after(async () => {
    await sidecar?.close(1000);
    tmp.remove();
  });

  it('a faithful run: zero differences and exit 0, through the URL and through the file', async () => {
    for (const against of [sidecar!.url, file]) {
      const reportFile = join(tmp.dir, 'clean.json');
      const run = await cli(args(against, reportFile));
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /OK: every expected event is stored once/);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VerifyReport;
      assert.equal(report.ok, true);
      assert.deepEqual(report.streams, {});
      const total = streams.reduce((n, s) => n + s.length, 0);
      assert.equal(report.expected_events, total);
      assert.equal(report.found_events, total);
      assert.deepEqual(report.run?.partitions, partitions);
    }
  });

  it('a store with deleted, duplicated, swapped and altered events: exactly those, exit 1 (file and URL)', async () => {
    await sidecar!.close(1000);
    sidecar = undefined;
    const records = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const streamIds = streams.map((s) => s[0]!.stream_id);
    const recordsOf = (streamId: string): any[] => records.filter((r) => r.stream_id === streamId);
    const long = streams.filter((s) => s.length >= 4 && !s.some((e) => e.event_type === 'checkout'));
    const withCheckout = streams.find((s) => s.some((e) => e.event_type === 'checkout'));
    assert.ok(long.length >= 3 && withCheckout, 'the run has the streams the faults need');
    const [lostStream, dupStream, swapStream] = long as [SessionEvent[], SessionEvent[], SessionEvent[]];

    // delete the third event of one stream
    const lostEvent = lostStream[2]!;
    let faulty = records.filter((r) => r.data.event_id !== lostEvent.event_id);
    // store the second event of another stream again, at the end of its stream (a retry without idempotency)
    const dupEvent = dupStream[1]!;
    const dupCopy = { ...recordsOf(dupStream[0]!.stream_id)[1] };
    delete dupCopy.idempotency_key; // the store refuses a key twice; the copy is what a store without keys would hold
    const lastOfDup = faulty.findLastIndex((r) => r.stream_id === dupEvent.stream_id);
    faulty.splice(lastOfDup + 1, 0, dupCopy);
    // swap the second and third events of a third stream
    const [x, y] = [swapStream[1]!, swapStream[2]!];
    const ix = faulty.findIndex((r) => r.data.event_id === x.event_id);
    const iy = faulty.findIndex((r) => r.data.event_id === y.event_id);
    [faulty[ix], faulty[iy]] = [faulty[iy], faulty[ix]];
    // alter a checkout's total and timestamp
    const checkout = withCheckout!.find((e) => e.event_type === 'checkout')!;
    faulty = faulty.map((r) => r.data.event_id !== checkout.event_id ? r
      : { ...r, data: { ...r.data, timestamp: '2020-01-01T00:00:00.000Z', payload: { ...r.data.payload, total: '0.01' } } });
    // renumber, so that the file stays a loadable store
    const versions = new Map<string, number>();
    faulty = faulty.map((r, i) => {
      const v = (versions.get(r.stream_id) ?? 0) + 1;
      versions.set(r.stream_id, v);
      return { ...r, event_id: v, stream_version: v, global_position: i + 1 };
    });
    const faultyFile = join(tmp.dir, 'faulty.jsonl');
    writeFileSync(faultyFile, faulty.map((r) => JSON.stringify(r) + '\n').join(''));
    new JsonlEventStore(faultyFile).close(); // loadable

    const check = (report: VerifyReport, run: CliRun): void => {
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(report.ok, false);
      assert.deepEqual(report.summary, { lost: 1, duplicated: 1, reordered: 2, altered: 1, misplaced: 0, unexpected: 0, unexpected_streams: 0, streams_with_differences: 4 });
      assert.deepEqual(Object.keys(report.streams).sort(), [lostStream, dupStream, swapStream, withCheckout!].map((s) => s[0]!.stream_id).sort());
      assert.deepEqual(report.streams[lostStream[0]!.stream_id]!.lost.map((e) => e.event_id), [lostEvent.event_id]);
      const dup = report.streams[dupStream[0]!.stream_id]!.duplicated;
      assert.deepEqual(dup.map((e) => [e.event_id, e.count]), [[dupEvent.event_id, 2]]);
      assert.deepEqual(new Set(report.streams[swapStream[0]!.stream_id]!.reordered.map((e) => e.event_id)), new Set([x.event_id, y.event_id]));
      const altered = report.streams[checkout.stream_id]!.altered;
      assert.deepEqual(altered.map((e) => [e.event_id, e.fields]), [[checkout.event_id, ['timestamp', 'payload.total']]]);
      assert.equal(report.streams[checkout.stream_id]!.partition, partitions[Math.floor(streams.indexOf(withCheckout!) / sessions)]);
      assert.match(run.stdout, /DIFFERENCES in 4 stream\(s\): 1 lost, 1 duplicated, 2 reordered, 1 altered/);
      assert.ok(run.stdout.includes(`${checkout.event_id} (checkout, version ${checkout.stream_version}): timestamp, payload.total`));
    };

    const fromFile = await cli(args(faultyFile, '-'));
    check(JSON.parse(fromFile.stdout) as VerifyReport, { ...fromFile, stdout: fromFile.stderr });

    sidecar = await startReplaySidecar({ port: 0, store: faultyFile, log: () => {} });
    const reportFile = join(tmp.dir, 'faulty-report.json');
    const fromUrl = await cli(args(sidecar.url, reportFile));
    check(JSON.parse(readFileSync(reportFile, 'utf8')) as VerifyReport, fromUrl);
    assert.deepEqual(streamIds.length, partitions.length * sessions);
  });

  it('usage errors exit 2; a store that cannot be read exits 3', async () => {
    const missing = await cli(['verify', '--seed', seed, '--partitions', '1']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing --sessions, --against/);
    const badRange = await cli(['verify', '--seed', seed, '--partitions', '3-1', '--sessions', '1', '--against', file]);
    assert.equal(badRange.code, 2);
    assert.match(badRange.stderr, /range 3-1 goes down/);
    const unknown = await cli(['verify', '--sed', '1']);
    assert.equal(unknown.code, 2);
    const noFile = await cli(['verify', '--seed', seed, '--partitions', '1', '--sessions', '1', '--against', join(tmp.dir, 'none.jsonl')]);
    assert.equal(noFile.code, 3);
    assert.match(noFile.stderr, /no such file/);
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const closed = await cli(['verify', '--seed', seed, '--partitions', '1', '--sessions', '1', '--against', `http://127.0.0.1:${port}`]);
    assert.equal(closed.code, 3);
    assert.match(closed.stderr, /ECONNREFUSED/);
  });

  it('an endless input (/dev/zero) is an unreadable store (exit 3), stopped at the line limit, not read into memory', async () => {
    const r = await cli(['verify', '--seed', seed, '--partitions', '1', '--sessions', '1', '--against', '/dev/zero']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /\/dev\/zero has a line longer than 16777216 bytes/);
  });

  it('a line nested 100,000 deep is an unreadable store (exit 3), not a stack overflow reported as a difference', async () => {
    const deep = join(tmp.dir, 'deep.jsonl');
    writeFileSync(deep, '{"stream_id":"s","stream_version":1,"data":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}\n');
    const r = await cli(['verify', '--seed', seed, '--partitions', '1', '--sessions', '1', '--against', deep]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /line 1 of .*deep\.jsonl nests arrays or objects deeper than 256 levels/);
    assert.doesNotMatch(r.stderr, /call stack/);
  });
});
