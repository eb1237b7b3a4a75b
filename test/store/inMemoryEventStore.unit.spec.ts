import assert from 'node:assert/strict';
import { InMemoryEventStore, type StoredEvent } from '../../src/store/index.js';
import { deposited, opened } from './bankAccount.js';
import { append, appendBatch, describeEventStoreContract, globalPosition, streamVersion, type EventStoreHarness } from './eventStoreContract.js';

/** In memory, "reopening" rebuilds a store from the first one's records. */
function inMemoryHarness(): EventStoreHarness {
  let current = new InMemoryEventStore();
  return {
    get store() {
      return current;
    },
    async reopen() {
      current = new InMemoryEventStore({ records: (await current.readAll()).events });
      return current;
    },
    async dispose() {},
  };
}

describeEventStoreContract('InMemoryEventStore', inMemoryHarness);

describe('InMemoryEventStore', () => {
  it('leaves recorded_at out unless given a clock', async () => {
    const store = new InMemoryEventStore();

    const { records } = await append(store, 'a', opened());

    assert.equal('recorded_at' in records[0]!, false);
  });

  it('stamps recorded_at from an injected clock, one time per batch', async () => {
    let tick = 0;
    const store = new InMemoryEventStore({ clock: () => new Date(Date.UTC(2024, 4, 1, 10, 0, tick++)) });

    const batch = await appendBatch(store, 'a', [opened(), deposited(1)]);
    const single = await append(store, 'a', deposited(2));

    assert.deepEqual(
      [...batch.records, ...single.records].map((record) => record.recorded_at),
      ['2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:01.000Z'],
    );
  });

  it('refuses initial records that do not continue the log', async () => {
    const gap: StoredEvent = {
      stream_id: 'a',
      stream_version: 1,
      global_position: 2,
      type: 'AccountOpened',
      data: {},
    };

    await assert.rejects(async () => new InMemoryEventStore({ records: [gap] }), /Initial record 1 .*global_position 2 where 1/);
  });

  it('reports a throwing listener without failing the append or skipping other listeners', async () => {
    const reported: [string, number][] = [];
    const store = new InMemoryEventStore({
      onListenerError: (error, records) => reported.push([(error as Error).message, records.length]),
    });
    const seen: number[] = [];
    store.subscribe(() => {
      throw new Error('listener broke');
    });
    store.subscribe((records) => seen.push(records[0]!.global_position));

    const result = await append(store, 'a', opened());

    assert.equal(result.lastGlobalPosition, 1);
    assert.deepEqual(reported, [['listener broke', 1]]);
    assert.deepEqual(seen, [1]);
    assert.equal((await globalPosition(store)), 1);
  });

  it('rethrows a listener error asynchronously by default, after the append committed', async () => {
    const store = new InMemoryEventStore();
    store.subscribe(() => {
      throw new Error('late failure');
    });
    // Stand in for mocha's handler while the rethrown error is expected, then put it back.
    const mochaHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    let caught: Error | undefined;
    process.once('uncaughtException', (error) => {
      caught = error;
    });
    try {
      await append(store, 'a', opened());
      const committed = (await globalPosition(store));
      await new Promise((resolve) => setTimeout(resolve, 20));

      assert.equal(committed, 1);
      assert.equal(caught?.message, 'late failure');
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const handler of mochaHandlers) process.on('uncaughtException', handler);
    }
  });
});
