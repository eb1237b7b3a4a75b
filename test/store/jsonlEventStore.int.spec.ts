import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodeJsonlRecords,
  EventLogCorruption,
  JsonlEventStore,
  type JsonlEventStoreOptions,
  type JsonlRecoveryReport,
} from '../../src/store/index.js';
import { bankAccountHistory, deposited, opened, withdrawn } from './bankAccount.js';
import { describeEventStoreContract, type EventStoreHarness } from './eventStoreContract.js';

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
    reopen() {
      current.close();
      current = new JsonlEventStore(file, { ...failOnRecovery, ...options });
      return current;
    },
    dispose() {
      current.close();
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
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('file format', () => {
    it('holds one JSON record per line, exactly the records the store returns', () => {
      const store = openStore();
      store.appendBatch('account-1', bankAccountHistory());
      store.append('account-2', opened('Bob'));

      const text = readFileSync(file, 'utf8');

      assert.equal(text, encodeJsonlRecords(store.readAll().events));
      assert.equal(lines(text).length, 6);
      assert.deepEqual(JSON.parse(lines(text)[1]!), {
        event_id: 2,
        stream_id: 'account-1',
        stream_version: 2,
        global_position: 2,
        type: 'MoneyDeposited',
        data: { amount: 100 },
      });
    });

    it('creates a missing directory and file on open', () => {
      const nested = path.join(dir, 'a', 'b', 'events.jsonl');

      const store = openStore(failOnRecovery, nested);
      store.append('account-1', opened());

      assert.equal(statSync(nested).size > 0, true);
      assert.equal(store.file, nested);
    });

    it('writes nothing for a rejected append', () => {
      const store = openStore();
      store.append('account-1', opened());
      const size = statSync(file).size;

      assert.throws(() => store.appendBatch('account-1', [deposited(1), { type: 'Bad', data: undefined }]), TypeError);
      assert.throws(() => store.append('account-1', deposited(1), { expectedVersion: 0 }));
      store.append('account-1', { ...deposited(1), idempotencyKey: 'k' });
      const sizeAfterKeyed = statSync(file).size;
      const duplicate = store.append('account-1', { ...deposited(1), idempotencyKey: 'k' });

      assert.equal(duplicate.duplicate, true);
      assert.equal(statSync(file).size, sizeAfterKeyed);
      assert.equal(lines(readFileSync(file, 'utf8')).length, 3);
      assert.ok(sizeAfterKeyed > size);
    });

    it('refuses appends once closed, but still serves reads', () => {
      const store = openStore();
      store.append('account-1', opened());

      store.close();

      assert.equal(store.isOpen, false);
      assert.throws(() => store.append('account-1', deposited(1)), /is closed/);
      assert.equal(store.readStream('account-1').events.length, 1);
      assert.equal(store.globalPosition, 1);
    });
  });

  describe('torn last line', () => {
    it('is truncated and reported with its byte offset and text', () => {
      const first = openStore();
      first.appendBatch('account-1', [opened(), deposited(100)]);
      first.close();
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
      assert.equal(reopened.globalPosition, 2);
      assert.equal(reopened.streamVersion('account-1'), 2);
    });

    it('leaves a file that appends continue cleanly and that reopens without recovery', () => {
      const first = openStore();
      first.append('account-1', opened());
      first.close();
      appendFileSync(file, '{"event_id":2,');
      const recovered = openStore({ onRecovery: () => {} });

      const next = recovered.append('account-1', withdrawn(5));
      recovered.close();
      const again = openStore();

      assert.equal(next.records[0]!.event_id, 2);
      assert.equal(again.recovery, undefined);
      assert.equal(again.globalPosition, 2);
      assert.deepEqual(again.readAll().events, recovered.readAll().events);
    });

    it('counts a newline-terminated last line that is not JSON (zero-filled block) as torn', () => {
      const first = openStore();
      first.append('account-1', opened());
      first.close();
      const goodSize = statSync(file).size;
      appendFileSync(file, '\0\0\0\0\n');
      const reports: JsonlRecoveryReport[] = [];

      const reopened = openStore({ onRecovery: (report) => reports.push(report) });

      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.offset, goodSize);
      assert.equal(reports[0]!.droppedBytes, 5);
      assert.equal(reports[0]!.text, '\0\0\0\0\n');
      assert.match(reports[0]!.reason, /^not valid JSON/);
      assert.equal(reopened.globalPosition, 1);
      assert.equal(statSync(file).size, goodSize);
    });

    it('drops an unterminated last line even when it parses: it was never acknowledged', () => {
      const first = openStore();
      first.appendBatch('account-1', [opened(), deposited(1)]);
      first.close();
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, -1));
      const reports: JsonlRecoveryReport[] = [];

      const reopened = openStore({ onRecovery: (report) => reports.push(report) });

      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.lineNumber, 2);
      assert.equal(reports[0]!.text, lines(text)[1]);
      assert.equal(reopened.globalPosition, 1);
    });

    it('emits a process warning when no onRecovery is given', async () => {
      const first = openStore();
      first.append('account-1', opened());
      first.close();
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
    it('is a hard error naming the file and line, and the file is left untouched', () => {
      const first = openStore();
      first.appendBatch('account-1', bankAccountHistory());
      first.close();
      const text = lines(readFileSync(file, 'utf8'));
      text[1] = '{"event_id":2,"stream_id":"account-1" GARBAGE';
      const damaged = text.join('\n');
      writeFileSync(file, damaged);

      const error = captureError(() => openStore());

      assert.ok(error instanceof EventLogCorruption);
      assert.equal(error.file, file);
      assert.equal(error.lineNumber, 2);
      assert.match(error.message, new RegExp(`Corrupt event log .*events\\.jsonl, line 2: not valid JSON`));
      assert.equal(readFileSync(file, 'utf8'), damaged);
    });

    it('rejects an empty line in the middle', () => {
      const first = openStore();
      first.appendBatch('account-1', [opened(), deposited(1)]);
      first.close();
      const text = lines(readFileSync(file, 'utf8'));
      writeFileSync(file, `${text[0]}\n\n${text[1]}\n`);

      assert.throws(() => openStore(), (error: unknown) => error instanceof EventLogCorruption && error.lineNumber === 2);
    });

    it('rejects a well-formed record that breaks the numbering, even on the last line', () => {
      const first = openStore();
      first.appendBatch('account-1', [opened(), deposited(1), deposited(2)]);
      first.close();
      const text = lines(readFileSync(file, 'utf8'));
      const third = JSON.parse(text[2]!) as Record<string, unknown>;
      text[2] = JSON.stringify({ ...third, global_position: 7 });
      writeFileSync(file, text.join('\n'));

      const error = captureError(() => openStore());

      assert.ok(error instanceof EventLogCorruption);
      assert.equal(error.lineNumber, 3);
      assert.match(error.message, /global_position 7 where 3 was expected/);
    });

    it('rejects a record of the wrong shape', () => {
      writeFileSync(file, `${JSON.stringify({ event_id: 1, stream_id: 'a', stream_version: 1, global_position: 1, type: 'X' })}\n`);

      assert.throws(() => openStore(), /line 1: data is missing/);
    });
  });

  describe('fsync option', () => {
    it('is accepted and appends stay readable after reopen', () => {
      const store = openStore({ ...failOnRecovery, fsync: true });

      store.append('account-1', opened());
      store.appendBatch('account-1', [deposited(100), withdrawn(30)]);
      store.close();
      const reopened = openStore();

      assert.equal(reopened.globalPosition, 3);
      assert.deepEqual(reopened.readAll().events, store.readAll().events);
    });
  });

  describe('a failed write', () => {
    it('is cut off again, so the next append and a reopen see a clean file', function () {
      if (process.platform === 'win32') this.skip();
      const child = fileURLToPath(new URL('./fileSizeLimit.child.ts', import.meta.url));
      const run = spawnSync('bash', ['-c', 'ulimit -f 2 && exec "$0" --import tsx "$1" "$2"', process.execPath, child, file], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);

      const summary = JSON.parse(run.stdout) as { failure: string; after: string; globalPosition: number };
      const reopened = openStore();

      assert.deepEqual(summary, { failure: 'EFBIG', after: '11', globalPosition: 11 });
      assert.equal(reopened.globalPosition, 11);
      assert.deepEqual(
        reopened.readAll().events.map((event) => event.type),
        [...Array.from({ length: 10 }, () => 'MoneyDeposited'), 'MoneyWithdrawn'],
      );
    });
  });

  describe('reopen after many appends', () => {
    it('reproduces 3 000 events over 30 streams, singles and batches, exactly', () => {
      const store = openStore();
      // 500 single appends with a version check, 250 batches of 3, 250 batches of 1: 1 500 events.
      for (let i = 0; i < 1_000; i += 1) {
        const stream = `account-${i % 30}`;
        if (i % 2 === 0) store.append(stream, deposited(i), { expectedVersion: store.streamVersion(stream) });
        else if (i % 4 === 1) store.appendBatch(stream, [deposited(i), withdrawn(1), { ...deposited(1), metadata: { i } }]);
        else store.appendBatch(stream, [withdrawn(i)]);
      }
      store.appendBatch('account-30', Array.from({ length: 1_500 }, (_, n) => deposited(n)));
      store.close();

      const reopened = openStore();

      assert.equal(reopened.globalPosition, 3_000);
      assert.deepEqual(reopened.readAll().events, store.readAll().events);
      for (let s = 0; s <= 30; s += 1) {
        assert.equal(reopened.streamVersion(`account-${s}`), store.streamVersion(`account-${s}`), `account-${s}`);
      }
      assert.equal(reopened.append('account-0', deposited(1)).lastGlobalPosition, 3_001);
    });
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
