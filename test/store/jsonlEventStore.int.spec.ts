import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodeJsonlRecords,
  EventLogCorruption,
  EventLogLocationError,
  JsonlEventStore,
  type JsonlEventStoreOptions,
  type JsonlRecoveryReport,
} from '../../src/store/index.js';
import { bankAccountHistory, deposited, opened, withdrawn } from './bankAccount.js';
import { append, appendBatch, describeEventStoreContract, globalPosition, streamVersion, type EventStoreHarness } from './eventStoreContract.js';

const failOnRecovery: JsonlEventStoreOptions = {
  onRecovery: (report) => {
    throw new Error(`unexpected recovery: ${JSON.stringify(report)}`);
  },
};

/** A fresh temp file; "reopening" closes the store and reads the file again. */
function jsonlHarness(options: JsonlEventStoreOptions = {}): EventStoreHarness {
  const dir = mkdtempSync(path.join(tmpdir(), 'mockjutsu-store-'));
  const file = path.join(dir, 'events.jsonl');
  let current = new JsonlEventStore(file, { ...failOnRecovery, ...options });
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = new JsonlEventStore(file, { ...failOnRecovery, ...options });
      return current;
    },
    async dispose() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeEventStoreContract('JsonlEventStore', () => jsonlHarness());
describeEventStoreContract('JsonlEventStore with fsync', () => jsonlHarness({ fsync: true }));

describe('JsonlEventStore', () => {
  let dir: string;
  let file: string;
  const open: JsonlEventStore[] = [];
  /** Opens a store that is closed after the test. */
  const openStore = (options: JsonlEventStoreOptions = failOnRecovery, at = file): JsonlEventStore => {
    const store = new JsonlEventStore(at, options);
    open.push(store);
    return store;
  };
  const lines = (text: string): string[] => text.split('\n');

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mockjutsu-store-'));
    file = path.join(dir, 'events.jsonl');
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('file format', () => {
    it('holds one JSON record per line, exactly the records the store returns', async () => {
      const store = openStore();
      await appendBatch(store, 'account-1', bankAccountHistory());
      await append(store, 'account-2', opened('Bob'));

      const text = readFileSync(file, 'utf8');

      assert.equal(text, encodeJsonlRecords((await store.readAll()).events));
      assert.equal(lines(text).length, 6);
      assert.deepEqual(JSON.parse(lines(text)[1]!), {
        stream_id: 'account-1',
        stream_version: 2,
        global_position: 2,
        type: 'MoneyDeposited',
        data: { amount: 100 },
      });
    });

    it('creates a missing file, but never a missing directory (a typo must not create a tree)', async () => {
      const store = openStore(failOnRecovery, path.join(dir, 'new.jsonl'));
      await append(store, 'account-1', opened());
      assert.equal(statSync(path.join(dir, 'new.jsonl')).size > 0, true);

      const nested = path.join(dir, 'a', 'b', 'events.jsonl');
      assert.throws(() => openStore(failOnRecovery, nested), (error: unknown) =>
        error instanceof EventLogLocationError &&
        error.message === `cannot open the event store ${nested}: directory ${path.join(dir, 'a', 'b')} does not exist; create it first`);
      assert.equal(existsSync(path.join(dir, 'a')), false);
    });

    it('refuses a path that is not a regular file (a FIFO, a device)', async () => {
      assert.throws(() => openStore(failOnRecovery, '/dev/null'), /cannot open the event store \/dev\/null: it is not a regular file/);
      assert.throws(() => openStore(failOnRecovery, dir), EventLogLocationError);
    });

    it('loads a file of an earlier version, whose records carry an integer event_id, and drops that field', async () => {
      writeFileSync(file, `${JSON.stringify({ event_id: 1, stream_id: 'a', stream_version: 1, global_position: 1, type: 'X', data: {} })}\n`);
      const store = openStore();
      assert.deepEqual((await store.readAll()).events, [{ stream_id: 'a', stream_version: 1, global_position: 1, type: 'X', data: {} }]);
    });

    it('writes nothing for a rejected append', async () => {
      const store = openStore();
      await append(store, 'account-1', opened());
      const size = statSync(file).size;

      await assert.rejects(async () => await appendBatch(store, 'account-1', [deposited(1), { type: 'Bad', data: undefined }]), TypeError);
      await assert.rejects(async () => await append(store, 'account-1', deposited(1), { expectedVersion: 0 }));
      await append(store, 'account-1', { ...deposited(1), idempotencyKey: 'k' });
      const sizeAfterKeyed = statSync(file).size;
      const duplicate = await append(store, 'account-1', { ...deposited(1), idempotencyKey: 'k' });

      assert.equal(duplicate.duplicate, true);
      assert.equal(statSync(file).size, sizeAfterKeyed);
      assert.equal(lines(readFileSync(file, 'utf8')).length, 3);
      assert.ok(sizeAfterKeyed > size);
    });

    it('refuses appends once closed, but still serves reads', async () => {
      const store = openStore();
      await append(store, 'account-1', opened());

      await store.close();

      assert.equal(store.isOpen, false);
      await assert.rejects(async () => await append(store, 'account-1', deposited(1)), /is closed/);
      assert.equal((await store.readStream('account-1')).events.length, 1);
      assert.equal((await globalPosition(store)), 1);
    });
  });

  describe('torn last line', () => {
    it('is truncated and reported with its byte offset and text', async () => {
      const first = openStore();
      await appendBatch(first, 'account-1', [opened(), deposited(100)]);
      await first.close();
      const goodSize = statSync(file).size;
      const torn = '{"event_id":3,"stream_id":"account-1","stream_ver';
      appendFileSync(file, torn);
      const reports: JsonlRecoveryReport[] = [];

      const reopened = openStore({ onRecovery: (report) => reports.push(report) });

      const expected: JsonlRecoveryReport = {
        file,
        offset: goodSize,
        droppedBytes: Buffer.byteLength(torn),
        lineNumber: 3,
        text: torn,
        reason: 'no terminating newline (write interrupted)',
      };
      assert.deepEqual(reports, [expected]);
      assert.deepEqual(reopened.recovery, expected);
      assert.equal(statSync(file).size, goodSize);
      assert.equal((await globalPosition(reopened)), 2);
      assert.equal((await streamVersion(reopened, 'account-1')), 2);
    });

    it('leaves a file that appends continue cleanly and that reopens without recovery', async () => {
      const first = openStore();
      await append(first, 'account-1', opened());
      await first.close();
      appendFileSync(file, '{"event_id":2,');
      const recovered = openStore({ onRecovery: () => {} });

      const next = await append(recovered, 'account-1', withdrawn(5));
      await recovered.close();
      const again = openStore();

      assert.equal(next.records[0]!.stream_version, 2);
      assert.equal(again.recovery, undefined);
      assert.equal((await globalPosition(again)), 2);
      assert.deepEqual((await again.readAll()).events, (await recovered.readAll()).events);
    });

    it('counts a newline-terminated last line that is not JSON (zero-filled block) as torn', async () => {
      const first = openStore();
      await append(first, 'account-1', opened());
      await first.close();
      const goodSize = statSync(file).size;
      appendFileSync(file, '\0\0\0\0\n');
      const reports: JsonlRecoveryReport[] = [];

      const reopened = openStore({ onRecovery: (report) => reports.push(report) });

      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.offset, goodSize);
      assert.equal(reports[0]!.droppedBytes, 5);
      assert.equal(reports[0]!.text, '\0\0\0\0\n');
      assert.match(reports[0]!.reason, /^not valid JSON/);
      assert.equal((await globalPosition(reopened)), 1);
      assert.equal(statSync(file).size, goodSize);
    });

    it('drops an unterminated last line even when it parses: it was never acknowledged', async () => {
      const first = openStore();
      await appendBatch(first, 'account-1', [opened(), deposited(1)]);
      await first.close();
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, -1));
      const reports: JsonlRecoveryReport[] = [];

      const reopened = openStore({ onRecovery: (report) => reports.push(report) });

      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.lineNumber, 2);
      assert.equal(reports[0]!.text, lines(text)[1]);
      assert.equal((await globalPosition(reopened)), 1);
    });

    it('emits a process warning when no onRecovery is given', async () => {
      const first = openStore();
      await append(first, 'account-1', opened());
      await first.close();
      appendFileSync(file, '{"torn');
      // Keep Node's default printer quiet while this warning is expected.
      const printers = process.listeners('warning');
      process.removeAllListeners('warning');
      const warning = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));

      let emitted: Error & { code?: string };
      let reopened: JsonlEventStore;
      try {
        reopened = openStore({});
        emitted = await warning;
      } finally {
        for (const printer of printers) process.on('warning', printer);
      }

      assert.equal(emitted.code, 'MOCKJUTSU_STORE_RECOVERY');
      assert.match(emitted.message, /Truncated torn line 2 of .*events\.jsonl at byte \d+ \(6 bytes/);
      assert.equal(reopened.recovery?.text, '{"torn');
    });
  });

  describe('corrupt line before the last', () => {
    it('is a hard error naming the file and line, and the file is left untouched', async () => {
      const first = openStore();
      await appendBatch(first, 'account-1', bankAccountHistory());
      await first.close();
      const text = lines(readFileSync(file, 'utf8'));
      text[1] = '{"event_id":2,"stream_id":"account-1" GARBAGE';
      const damaged = text.join('\n');
      writeFileSync(file, damaged);

      const error = await captureError(() => openStore());

      assert.ok(error instanceof EventLogCorruption);
      assert.equal(error.file, file);
      assert.equal(error.lineNumber, 2);
      assert.match(error.message, new RegExp(`Corrupt event log .*events\\.jsonl, line 2: not valid JSON`));
      assert.equal(readFileSync(file, 'utf8'), damaged);
    });

    it('rejects an empty line in the middle', async () => {
      const first = openStore();
      await appendBatch(first, 'account-1', [opened(), deposited(1)]);
      await first.close();
      const text = lines(readFileSync(file, 'utf8'));
      writeFileSync(file, `${text[0]}\n\n${text[1]}\n`);

      await assert.rejects(async () => openStore(), (error: unknown) => error instanceof EventLogCorruption && error.lineNumber === 2);
    });

    it('rejects a well-formed record that breaks the numbering, even on the last line', async () => {
      const first = openStore();
      await appendBatch(first, 'account-1', [opened(), deposited(1), deposited(2)]);
      await first.close();
      const text = lines(readFileSync(file, 'utf8'));
      const third = JSON.parse(text[2]!) as Record<string, unknown>;
      text[2] = JSON.stringify({ ...third, global_position: 7 });
      writeFileSync(file, text.join('\n'));

      const error = await captureError(() => openStore());

      assert.ok(error instanceof EventLogCorruption);
      assert.equal(error.lineNumber, 3);
      assert.match(error.message, /global_position 7 where 3 was expected/);
    });

    it('rejects a record of the wrong shape', async () => {
      writeFileSync(file, `${JSON.stringify({ stream_id: 'a', stream_version: 1, global_position: 1, type: 'X' })}\n`);

      await assert.rejects(async () => openStore(), /line 1: data is missing/);
    });
  });

  describe('fsync option', () => {
    it('is accepted and appends stay readable after reopen', async () => {
      const store = openStore({ ...failOnRecovery, fsync: true });

      await append(store, 'account-1', opened());
      await appendBatch(store, 'account-1', [deposited(100), withdrawn(30)]);
      await store.close();
      const reopened = openStore();

      assert.equal((await globalPosition(reopened)), 3);
      assert.deepEqual((await reopened.readAll()).events, (await store.readAll()).events);
    });
  });

  describe('a failed write', () => {
    it('is cut off again, so the next append and a reopen see a clean file', async function () {
      if (process.platform === 'win32') this.skip();
      const child = fileURLToPath(new URL('./fileSizeLimit.child.ts', import.meta.url));
      const run = spawnSync('bash', ['-c', 'ulimit -f 2 && exec "$0" --import tsx "$1" "$2"', process.execPath, child, file], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);

      const summary = JSON.parse(run.stdout) as { failure: string; after: string; globalPosition: number };
      const reopened = openStore();

      assert.deepEqual(summary, { failure: 'EFBIG', after: '11', globalPosition: 11 });
      assert.equal((await globalPosition(reopened)), 11);
      assert.deepEqual(
        (await reopened.readAll()).events.map((event) => event.type),
        [...Array.from({ length: 10 }, () => 'MoneyDeposited'), 'MoneyWithdrawn'],
      );
    });
  });

  describe('reopen after many appends', () => {
    it('reproduces 3 000 events over 30 streams, singles and batches, exactly', async () => {
      const store = openStore();
      // 500 single appends with a version check, 250 batches of 3, 250 batches of 1: 1 500 events.
      for (let i = 0; i < 1_000; i += 1) {
        const stream = `account-${i % 30}`;
        if (i % 2 === 0) await append(store, stream, deposited(i), { expectedVersion: (await streamVersion(store, stream)) });
        else if (i % 4 === 1) await appendBatch(store, stream, [deposited(i), withdrawn(1), { ...deposited(1), metadata: { i } }]);
        else await appendBatch(store, stream, [withdrawn(i)]);
      }
      await appendBatch(store, 'account-30', Array.from({ length: 1_500 }, (_, n) => deposited(n)));
      await store.close();

      const reopened = openStore();

      assert.equal((await globalPosition(reopened)), 3_000);
      assert.deepEqual((await reopened.readAll()).events, (await store.readAll()).events);
      for (let s = 0; s <= 30; s += 1) {
        assert.equal((await streamVersion(reopened, `account-${s}`)), (await streamVersion(store, `account-${s}`)), `account-${s}`);
      }
      assert.equal((await append(reopened, 'account-0', deposited(1))).lastGlobalPosition, 3_001);
    });
  });
});

async function captureError(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
