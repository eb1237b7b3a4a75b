// A failed record write (disk full, I/O error) must leave the file holding exactly the items
// that were acknowledged, byte for byte: no whole item of the failed batch, no partial line.
// A full file system is not available in a test, so the failure is injected through the
// recorder's file handle abstraction (RecorderOptions.files), over real files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecorder, nodeRecordFiles, readRecords, RecordWriteError, type RecordFiles, type RecordFormat } from '../../src/recorder/index.js';
import { startSidecar } from '../../src/sidecar/index.js';
import { openSidecarData, sidecarDataPlugin } from '../../src/sidecar/sidecarData.js';
import { call, errorOf } from '../sidecar/sidecarTestKit.js';

/** Real files whose appends stop after `room` bytes (the part that fits is written, then ENOSPC), as a full disk does. */
class FillingDisk implements RecordFiles {
  room = Infinity;
  truncateFails = false;
  writes = 0;
  truncates: number[] = [];
  /** Each append writes at most this many bytes (short writes that succeed). */
  maxChunk = Infinity;

  open(file: string) {
    const real = nodeRecordFiles.open(file);
    return {
      size: () => real.size(),
      read: (b: Uint8Array, o: number, l: number, p: number) => real.read(b, o, l, p),
      append: (b: Uint8Array, o: number, l: number) => {
        this.writes++;
        const fits = Math.min(l, this.room, this.maxChunk);
        const n = fits > 0 ? real.append(b, o, fits) : 0;
        this.room -= n;
        if (n < l && this.room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        return n;
      },
      truncate: (size: number) => {
        if (this.truncateFails) throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO', syscall: 'ftruncate' });
        this.truncates.push(size);
        real.truncate(size);
      },
      close: () => real.close(),
    };
  }
}

/** The bytes a recorder writes for `items`, recorded one by one into a fresh directory. */
function expectedBytes(format: RecordFormat, items: unknown[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'i11-expected-'));
  try {
    const r = createRecorder(dir, { format });
    for (const item of items) r.record('users', item);
    r.close();
    return items.length === 0 ? Buffer.alloc(0) : readFileSync(r.fileOf('users'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const user = (i: number): object => ({ id: i, email: `user${i}@example.com`, name: `User ${i}`, pad: 'p'.repeat(i * 7) });

describe('recorder: a failed write leaves only acknowledged items (atomic per batch)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'i11-recfail-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['msgpack', 'ndjson'] as RecordFormat[]) {
    it(`${format}: a batch that fills the disk after 2 of its 3 items and half the third => RecordWriteError, file cut back to the acknowledged bytes, exactly`, () => {
      const disk = new FillingDisk();
      const r = createRecorder(dir, { format, files: disk });
      r.record('users', user(1));
      r.recordMany('users', [user(2), user(3)]);
      const acked = expectedBytes(format, [user(1), user(2), user(3)]);
      assert.deepEqual(readFileSync(r.fileOf('users')), acked);
      // room for items 4 and 5 whole and half of item 6
      const batch = [user(4), user(5), user(6)];
      const whole = expectedBytes(format, [user(1), user(2), user(3), ...batch]);
      const sixth = whole.length - expectedBytes(format, [user(1), user(2), user(3), user(4), user(5)]).length;
      disk.room = whole.length - acked.length - Math.floor(sixth / 2);
      let err: unknown;
      try { r.recordMany('users', batch); } catch (e) { err = e; }
      assert.ok(err instanceof RecordWriteError, String(err));
      assert.equal(err.code, 'ENOSPC');
      assert.equal(err.restored, true);
      assert.equal(err.items, 3);
      assert.equal(err.acknowledgedBytes, acked.length);
      assert.equal(err.record, 'users');
      assert.match(err.message, new RegExp(`record "users": writing 3 items to .*users\\.${format} failed \\(ENOSPC: no space left on device, write\\); the file was cut back to ${acked.length} bytes: it holds the items recorded before, none of these`));
      assert.deepEqual(disk.truncates, [acked.length]);
      // byte for byte: items 1-3, nothing of 4, 5 or 6
      assert.deepEqual(readFileSync(r.fileOf('users')), acked);
      assert.deepEqual(readRecords(r.fileOf('users')).items, [user(1), user(2), user(3)]);
      assert.equal(readRecords(r.fileOf('users')).ignoredBytes, 0);

      // the disk has room again: the next record goes right after the acknowledged items
      disk.room = Infinity;
      r.record('users', user(7));
      r.close();
      assert.deepEqual(readFileSync(r.fileOf('users')), expectedBytes(format, [user(1), user(2), user(3), user(7)]));
    });

    it(`${format}: one item cut after its first byte (a partial line) is removed; nothing at all fits => the file is unchanged`, () => {
      const disk = new FillingDisk();
      const r = createRecorder(dir, { format, files: disk });
      r.record('users', user(1));
      const acked = expectedBytes(format, [user(1)]);
      disk.room = 1;
      assert.throws(() => r.record('users', user(2)), (e: unknown) => e instanceof RecordWriteError && e.restored && e.items === 1 && /writing 1 item to/.test(e.message));
      assert.deepEqual(readFileSync(r.fileOf('users')), acked);
      disk.room = 0;
      assert.throws(() => r.recordMany('users', [user(2), user(3)]), (e: unknown) => e instanceof RecordWriteError && e.code === 'ENOSPC' && e.restored);
      assert.deepEqual(readFileSync(r.fileOf('users')), acked);
      r.close();
    });
  }

  it('short writes that succeed (a few bytes at a time) still append the whole batch, once', () => {
    const disk = new FillingDisk();
    disk.maxChunk = 5;
    const r = createRecorder(dir, { format: 'ndjson', files: disk });
    r.recordMany('users', [user(1), user(2)]);
    r.close();
    const want = expectedBytes('ndjson', [user(1), user(2)]);
    assert.deepEqual(readFileSync(r.fileOf('users')), want);
    assert.equal(disk.writes, Math.ceil(want.length / 5));
  });

  it('when the truncate fails too, the error says the file may hold part of the batch; the next write cuts it first, or refuses to append', () => {
    const disk = new FillingDisk();
    const r = createRecorder(dir, { format: 'ndjson', files: disk });
    r.recordMany('users', [user(1), user(2)]);
    const acked = expectedBytes('ndjson', [user(1), user(2)]);
    disk.room = 40;
    disk.truncateFails = true;
    let err: unknown;
    try { r.recordMany('users', [user(3), user(4)]); } catch (e) { err = e; }
    assert.ok(err instanceof RecordWriteError);
    assert.equal(err.restored, false);
    assert.equal(err.code, 'ENOSPC');
    assert.match(err.message, new RegExp(`could not be cut back to ${acked.length} bytes \\(EIO: i/o error, ftruncate\\): it may hold part of these items; the recorder cuts it before its next write`));
    assert.equal(statSync(r.fileOf('users')).size, acked.length + 40);
    // still failing: the next record is refused, nothing appended after the unacknowledged bytes
    disk.room = Infinity;
    assert.throws(() => r.record('users', user(5)), (e: unknown) => e instanceof RecordWriteError && e.code === 'EIO' && !e.restored);
    assert.equal(statSync(r.fileOf('users')).size, acked.length + 40);
    // the truncate works again: the file is cut back first, then the item appended
    disk.truncateFails = false;
    r.record('users', user(5));
    r.close();
    assert.deepEqual(readFileSync(r.fileOf('users')), expectedBytes('ndjson', [user(1), user(2), user(5)]));
  });

  it('sidecar: POST /record/:name whose write fails answers 503 RECORD_WRITE_FAILED; the file and the live pool hold only acknowledged items', async function () {
    this.timeout(20_000);
    const disk = new FillingDisk();
    const recorder = createRecorder(join(dir, 'records'), { format: 'ndjson', files: disk });
    const data = openSidecarData({ recorder });
    const s = await startSidecar({ port: 0, host: '127.0.0.1', seed: 1, log: () => {}, plugins: [sidecarDataPlugin(data)] });
    try {
      const post = (body: unknown) => call(s.url, '/record/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post([user(1), user(2)])).status, 201);
      disk.room = JSON.stringify(user(3)).length + 1 + 10; // user 3 fits whole, user 4 does not
      const failed = await post([user(3), user(4)]);
      assert.equal(failed.status, 503, failed.body);
      assert.deepEqual(errorOf(failed), { code: 'RECORD_WRITE_FAILED', message: 'the recorder could not write (ENOSPC); nothing was acknowledged' });
      assert.deepEqual(readFileSync(recorder.fileOf('users')), expectedBytes('ndjson', [user(1), user(2)]));
      disk.room = Infinity;
      assert.equal((await post(user(5))).status, 201);
      const read = await call(s.url, '/records/users');
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.trimEnd().split('\n').map((l) => JSON.parse(l)), [user(1), user(2), user(5)]);
      const took = await call(s.url, '/pools/users/take?n=10', { method: 'POST' });
      assert.deepEqual((JSON.parse(took.body) as { items: unknown[] }).items, [user(1), user(2), user(5)]);
    } finally {
      await s.close(1000);
    }
  });
});
