import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@msgpack/msgpack';
import { createRecorder, findRecordFile, listRecordFiles, readRecords, readRecordsOf, type RecordFormat } from '../../src/recorder/index.js';

const MITE_DIR = fileURLToPath(new URL('./fixtures/mite-recorder-data', import.meta.url));
const CHILD = fileURLToPath(new URL('./recordLoop.child.ts', import.meta.url));

function expectedLoopItem(i: number): object {
  return { i, email: `user${i}@example.com`, pad: 'x'.repeat(i % 500) };
}

describe('recorder: files of recorded items', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mockjutsu-recorder-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['msgpack', 'ndjson'] as RecordFormat[]) {
    it(`${format}: given items recorded one by one and in a batch, readRecords returns them in order, nothing ignored`, () => {
      const recorder = createRecorder(dir, { format });
      const items = [{ id: 1, email: 'a@x.io', tags: ['a'], balance: 10.5 }, { id: 2, email: 'b@x.io', active: false, note: null }, 'plain', 42, [1, [2]]];
      recorder.record('users', items[0]);
      recorder.record('users', items[1]);
      recorder.recordMany('users', items.slice(2));
      recorder.close();
      const file = join(dir, `users.${format}`);
      assert.equal(recorder.fileOf('users'), file);
      const read = readRecords(file);
      assert.deepEqual(read.items, items);
      assert.equal(read.format, format);
      assert.equal(read.validBytes, statSync(file).size);
      assert.equal(read.ignoredBytes, 0);
    });

    it(`${format}: a torn tail left by a crash is cut off when the recorder opens the file again, then appends`, () => {
      const first = createRecorder(dir, { format });
      first.recordMany('users', [{ id: 1 }, { id: 2 }]);
      first.close();
      const file = first.fileOf('users');
      const whole = statSync(file).size;
      // half of a third item, as a kill in the middle of its write would leave it
      const third = format === 'msgpack' ? Buffer.from(encode({ id: 3, name: 'cut short' })) : Buffer.from('{"id":3,"name":"cut short"}\n');
      appendFileSync(file, third.subarray(0, 9));
      assert.deepEqual(readRecords(file).items, [{ id: 1 }, { id: 2 }]);
      assert.equal(readRecords(file).ignoredBytes, 9);

      const second = createRecorder(dir, { format });
      second.record('users', { id: 4 });
      second.close();
      assert.deepEqual(second.repairs, [{ name: 'users', file, bytes: 9 }]);
      const read = readRecords(file);
      assert.deepEqual(read.items, [{ id: 1 }, { id: 2 }, { id: 4 }]);
      assert.equal(read.ignoredBytes, 0);
      assert.ok(statSync(file).size > whole);
    });

    it(`${format}: kill -9 while recording => the file decodes up to the last complete item, items 0..k-1 in order`, async function () {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, format], { stdio: 'ignore' });
      const file = join(dir, `users.${format}`);
      // Wait (by polling the file, not a clock) until it holds a good many items, then kill.
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`recorder child exited early (${code})`)));
        const poll = (): void => {
          let size = 0;
          try { size = statSync(file).size; } catch { /* not created yet */ }
          if (size > 300_000) { child.removeAllListeners('exit'); resolve(); } else setTimeout(poll, 5);
        };
        poll();
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const read = readRecords<{ i: number }>(file);
      assert.ok(read.items.length > 1000, `${read.items.length} items`);
      read.items.forEach((item, k) => assert.deepEqual(item, expectedLoopItem(k)));
      assert.equal(read.validBytes + read.ignoredBytes, statSync(file).size);
      // and the recorder takes over from there
      const again = createRecorder(dir, { format });
      again.record('users', expectedLoopItem(read.items.length));
      again.close();
      const after = readRecords<{ i: number }>(file);
      assert.equal(after.items.length, read.items.length + 1);
      assert.equal(after.ignoredBytes, 0);
      after.items.forEach((item, k) => assert.deepEqual(item, expectedLoopItem(k)));
    });
  }

  it("a directory written by mite's recorder (Python msgpack.packb, appended) loads as it is", () => {
    cpSync(MITE_DIR, dir, { recursive: true });
    assert.deepEqual(listRecordFiles(dir).map((r) => [r.name, r.format]), [['accounts', 'msgpack'], ['users', 'msgpack']]);
    const users = readRecordsOf(dir, 'users');
    assert.deepEqual(users.items, [1, 2, 3].map((i) => ({ id: i, email: `user${i}@example.com`, name: `User Nr${i}`, token: `tok-${i}` })));
    const [acc1, acc2] = readRecordsOf<Record<string, unknown>>(dir, 'accounts').items;
    assert.equal(acc1!.account_id, 'acc-1');
    assert.equal(acc1!.balance, 1234.5);
    assert.equal(acc1!.overdraft, -500);
    assert.equal(acc1!.big, 2 ** 63); // uint64: a JavaScript number (nearest double)
    assert.equal(acc1!.closed_at, null);
    assert.deepEqual(acc1!.tags, ['gold', 'eu']); // Python tuples are arrays
    assert.deepEqual(acc1!.secret, new Uint8Array([0, 1, 255])); // bin (use_bin_type=True)
    assert.equal(acc1!.owner, 'Zoë Ångström');
    assert.equal(acc1!.notes, 'n'.repeat(300));
    assert.deepEqual(acc1!.ledger, Array.from({ length: 20 }, (_, i) => i));
    assert.equal(Object.keys(acc1!.wide as object).length, 18);
    assert.deepEqual(acc2, { account_id: 'acc-2', balance: 0, tags: [], nested: { a: { b: [1, { c: null }] } } });
    // a recorder appends to mite's files in the same format
    const recorder = createRecorder(dir);
    recorder.record('users', { id: 4, email: 'user4@example.com', name: 'User Nr4', token: 'tok-4' });
    recorder.close();
    assert.deepEqual(readRecordsOf<{ id: number }>(dir, 'users').items.map((u) => u.id), [1, 2, 3, 4]);
  });

  it('names that are paths or hidden files are refused before anything is written', () => {
    const recorder = createRecorder(dir);
    for (const bad of ['../escape', 'a/b', 'a\\b', '.hidden', '', '..', 'x'.repeat(129), 'sp ace']) {
      assert.throws(() => recorder.record(bad, { id: 1 }), (e: any) => e.code === 'INVALID_OPTION' && /record name .* is not allowed/.test(e.message), bad);
    }
    recorder.record('users.v2-eu_1', { id: 1 });
    recorder.close();
    assert.deepEqual(listRecordFiles(dir).map((r) => r.name), ['users.v2-eu_1']);
  });

  it('undefined or a function is not an item: an error, and the file keeps what it had', () => {
    const recorder = createRecorder(dir, { format: 'ndjson' });
    recorder.record('users', { id: 1 });
    assert.throws(() => recorder.record('users', undefined), /record "users": an item is undefined; expected a JSON value/);
    assert.throws(() => recorder.recordMany('users', [{ id: 2 }, () => 1]), /an item is a function/);
    recorder.close();
    assert.deepEqual(readRecordsOf(dir, 'users').items, [{ id: 1 }]);
  });

  it('one name, one file: a recorder of the other format refuses to start a second file', () => {
    createRecorder(dir, { format: 'ndjson' }).record('users', { id: 1 });
    assert.throws(() => createRecorder(dir, { format: 'msgpack' }).record('users', { id: 2 }), /users\.ndjson already exists and this recorder writes msgpack/);
  });

  it('unknown names and foreign files: errors that say what exists and what is allowed', () => {
    createRecorder(dir).record('users', { id: 1 });
    assert.throws(() => findRecordFile(dir, 'orders'), /no records named "orders" in .*; known: users/);
    writeFileSync(join(dir, 'users.ndjson'), '{"id":9}\n');
    assert.throws(() => findRecordFile(dir, 'users'), /records "users" are in 2 files/);
    assert.throws(() => readRecords(join(dir, 'users.txt')), /a record file ends in \.msgpack or \.ndjson \(or \.jsonl\), not "\.txt"/);
    writeFileSync(join(dir, 'json.msgpack'), '[{"id":1},\n{"id":2}]\n');
    assert.throws(() => readRecords(join(dir, 'json.msgpack')), (e: any) => e.code === 'INVALID_RECORD' && /json\.msgpack" holds JSON text, not MessagePack/.test(e.message));
    writeFileSync(join(dir, 'bin.ndjson'), Buffer.concat([Buffer.from(encode({ id: 1 })), Buffer.from('\n')]));
    assert.throws(() => readRecords(join(dir, 'bin.ndjson')), /bin\.ndjson": line 1 is not JSON \(it looks binary/);
    assert.throws(() => listRecordFiles(join(dir, 'nope')), /record directory .* cannot be read: no such directory/);
  });

  it('a file truncated by hand in the middle of an item still reads up to the item before', () => {
    const recorder = createRecorder(dir);
    recorder.recordMany('users', [{ id: 1 }, { id: 2, name: 'long enough to cut' }]);
    recorder.close();
    const file = recorder.fileOf('users');
    truncateSync(file, statSync(file).size - 3);
    const read = readRecords(file);
    assert.deepEqual(read.items, [{ id: 1 }]);
    assert.equal(read.validBytes, encode({ id: 1 }).length);
    assert.equal(read.ignoredBytes, readFileSync(file).length - read.validBytes);
  });
});
