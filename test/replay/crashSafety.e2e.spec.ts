import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator, type SessionEvent } from '../../src/core/index.js';
import { verifyStreams } from '../../src/verify/index.js';
import { call, killChildren, postEvent, readAll, spawnReplayServer, tempDir, type ChildServer } from './replayKit.js';

// `mockjutsu serve --store FILE --fsync` (the real bin) in its own process, killed with SIGKILL while writers are busy:
// every acknowledged append must be in the file when it is opened again.
describe('replay target crash safety (serve --store --fsync, kill -9 mid-write)', function () {
  this.timeout(60_000);
  const tmp = tempDir('crash');
  const file = join(tmp.dir, 'events.jsonl');
  const seed = 'crash-safety';
  const partitions = ['1', '2', '3', '4'];
  const sessions = 6;
  const generator = createGenerator({ seed });
  const sessionsOf = new Map(partitions.map((p) => {
    const stream = generator.stream(p);
    return [p, Array.from({ length: sessions }, () => stream.nextSession())];
  }));
  const acked = new Map<string, { stream_id: string; version: number; position: number }>();

  before(function () {
    this.timeout(120_000);
  });
  after(async () => {
    await killChildren();
    tmp.remove();
  });

  /** One writer per partition, event by event as k6 does; stops at the first failed request. */
  async function writeLoop(server: ChildServer, resume: boolean): Promise<void> {
    await Promise.all(partitions.map(async (p) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const session of sessionsOf.get(p)!) {
          let events: SessionEvent[] = session;
          if (resume) {
            const stream = await call(`${server.url}/streams/${encodeURIComponent(session[0]!.stream_id)}`, { agent });
            const stored = stream.status === 404 ? 0 : stream.body.stream_version;
            events = session.slice(stored);
          }
          for (const event of events) {
            const a = await postEvent(server.url, event, { agent });
            assert.ok(a.status === 201 || a.status === 200, a.text);
            acked.set(event.event_id, { stream_id: event.stream_id, version: a.body.stream_version, position: a.body.global_position });
          }
        }
      } finally {
        agent.destroy();
      }
    }));
  }

  it('keeps every acknowledged event through kill -9, reports and cuts a torn last line, and the run completes cleanly', async () => {
    const first = await spawnReplayServer(['--store', file, '--fsync', '--seed', seed]);
    const total = [...sessionsOf.values()].flat(2).length;
    const loop = writeLoop(first, false).catch((err: Error) => err);
    // Kill once a good part of the run is acknowledged, with the writers still busy.
    while (acked.size < Math.min(120, total / 2)) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    const loopError = await loop;
    assert.ok(loopError instanceof Error, 'the writers were cut off mid-loop');
    await first.exited;
    const ackedAtKill = new Map(acked);
    assert.ok(ackedAtKill.size < total, `killed before the end (${ackedAtKill.size} of ${total})`);

    // A crash inside a write leaves a line without its newline: simulate that tail.
    const validSize = statSync(file).size;
    appendFileSync(file, '{"event_id":7,"stream_id":"torn","stream_vers');

    const second = await spawnReplayServer(['--store', file, '--fsync', '--seed', seed]);
    assert.match(second.stderr(), /truncated a torn last line \d+ at byte \d+/);
    assert.equal(statSync(file).size, validSize, 'the torn line was cut off');
    const stored = await readAll(second.url);
    const byId = new Map(stored.map((r) => [r.data.event_id as string, r]));
    for (const [eventId, ack] of ackedAtKill) {
      const record = byId.get(eventId);
      assert.ok(record, `acknowledged event ${eventId} survived`);
      assert.equal(record.stream_id, ack.stream_id);
      assert.equal(record.stream_version, ack.version);
      assert.equal(record.global_position, ack.position);
    }
    assert.deepEqual(stored.map((r) => r.global_position), stored.map((_, i) => i + 1));

    // The load test resumes where each stream stands; the store then holds the run exactly.
    await writeLoop(second, true);
    const report = await verifyStreams({ seed, partitions, sessions, against: second.url });
    assert.equal(report.ok, true, JSON.stringify(report.summary));
    assert.equal(report.found_events, total);

    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, 'SIGTERM stops it cleanly');
    const fromFile = await verifyStreams({ seed, partitions, sessions, against: file });
    assert.equal(fromFile.ok, true, JSON.stringify(fromFile.summary));
  });

  it('without --store, serve keeps the store in memory (route module): POST and GET work, no file', async () => {
    const server = await spawnReplayServer(['--seed', seed]);
    try {
      const session = sessionsOf.get('1')![0]!;
      for (const e of session) assert.equal((await postEvent(server.url, e)).status, 201);
      assert.equal((await readAll(server.url)).length, session.length);
      assert.doesNotMatch(server.stderr(), /event store .*jsonl/);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it('refuses a file damaged before its last line (exit 1, names the line) and bad flags (exit 2)', async () => {
    const bad = join(tmp.dir, 'bad.jsonl');
    appendFileSync(bad, 'not json\n{"also":"bad"}\n');
    await assert.rejects(spawnReplayServer(['--store', bad]), /exited with 1 before listening; stderr: .*line 1/s);
    await assert.rejects(spawnReplayServer(['--fsync']), /exited with 2 .*--fsync only applies with --store/s);
    await assert.rejects(spawnReplayServer(['--store']), /exited with 2 .*--store needs a value/s);
  });
});
