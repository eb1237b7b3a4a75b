import assert from 'node:assert/strict';
import {
  ConcurrencyConflict,
  EventLimitExceeded,
  IdempotencyConflict,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  InMemorySnapshotStore,
  NO_CONCURRENCY_CHECK,
  Projection,
  reconstructState,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
  type EventStore,
  type EventToAppend,
  type ExpectedStreamVersion,
  type StoredEvent,
} from '../../src/store/index.js';
import {
  balancesProjection,
  bankAccountHandlers,
  bankAccountHistory,
  deposited,
  evolveBankAccount,
  FINAL_BALANCE,
  initialBankAccount,
  opened,
  withdrawn,
  type BankAccount,
} from './bankAccount.js';

/** A fresh store plus a way to reopen its backing storage. */
export interface EventStoreHarness {
  readonly store: EventStore;
  /** Releases the current store and opens a new one over the same storage. */
  reopen(): Promise<EventStore>;
  /** Releases the store and removes its storage. */
  dispose(): Promise<void>;
}

// Shorthands over the one append, appendToStream (given / when lines stay short).
type Expecting = { expectedVersion?: ExpectedStreamVersion };
export const appendBatch = (s: EventStore, stream: string, events: readonly EventToAppend[], o: Expecting = {}) =>
  s.appendToStream(stream, events, o.expectedVersion === undefined ? {} : { expectedStreamVersion: o.expectedVersion });
export const append = (s: EventStore, stream: string, event: EventToAppend, o: Expecting = {}) => appendBatch(s, stream, [event], o);
export const streamVersion = async (s: EventStore, stream: string): Promise<number> => (await s.readStream(stream, { to: 0 })).currentStreamVersion;
export const globalPosition = async (s: EventStore): Promise<number> => (await s.readAll({ limit: 0 })).currentGlobalPosition;

/** A generated mockjutsu event (event-contract.md envelope), travelling as `data`. */
const generatedEvent = (eventId: string, version: number, type = 'page_view') => ({
  event_id: eventId,
  event_type: type,
  stream_id: 'session-7',
  aggregate_type: 'session',
  aggregate_id: '7',
  stream_version: version,
  global_position: version,
  correlation_id: 'c0a80101-0000-4000-8000-000000000007',
  causation_id: null,
  session_id: '7',
  user_id: 'user-3',
  timestamp: `2024-05-01T10:00:0${version}.000Z`,
  schema_version: 1,
  payload: { url: '/home', referrer: null },
});
const UUID_1 = '4f1c2a9e-8b7d-4c3e-9a1f-0d2e3c4b5a61';
const UUID_2 = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62';
const UUID_3 = '0e1d2c3b-4a59-4687-a5b4-c3d2e1f0a963';

const asSession = (data: ReturnType<typeof generatedEvent>): EventToAppend => ({ type: data.event_type, data });

const field = <K extends keyof StoredEvent>(events: readonly StoredEvent[], key: K): StoredEvent[K][] =>
  events.map((event) => event[key]);

/**
 * The contract every event store honours. `factory` returns a fresh harness per test.
 */
export function describeEventStoreContract(name: string, factory: () => EventStoreHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = factory();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    // --- 1. Basic append and read ---
    describe('1. Basic append and read', () => {
      it('numbers events 1, 2, 3 per stream and grows the stream version', async () => {
        // given
        const first = await append(store, 'account-1', opened());
        const second = await append(store, 'account-1', deposited(100));
        const third = await append(store, 'account-1', withdrawn(30));

        // then
        assert.deepEqual(
          [first, second, third].map((result) => [result.records[0]!.stream_version, result.nextExpectedStreamVersion]),
          [
            [1, 1],
            [2, 2],
            [3, 3],
          ],
        );
        const read = (await store.readStream('account-1'));
        assert.deepEqual(field(read.events, 'stream_version'), [1, 2, 3]);
        assert.deepEqual(field(read.events, 'type'), ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn']);
        assert.equal(read.currentStreamVersion, 3);
        assert.equal(read.streamExists, true);
        assert.equal((await streamVersion(store, 'account-1')), 3);
        // no integer event_id beside the event's own: the place is stream_version / global_position
        assert.deepEqual(read.events[1], {
          stream_id: 'account-1',
          stream_version: 2,
          global_position: 2,
          type: 'MoneyDeposited',
          data: { amount: 100 },
        });
      });

      it('numbers versions per stream and positions globally', async () => {
        await append(store, 'a', opened());
        await append(store, 'b', opened());
        await append(store, 'a', deposited(10));

        assert.deepEqual(field((await store.readStream('a')).events, 'stream_version'), [1, 2]);
        assert.deepEqual(field((await store.readStream('a')).events, 'global_position'), [1, 3]);
        assert.deepEqual(field((await store.readStream('b')).events, 'stream_version'), [1]);
      });

      it('reads an inclusive version range with from/to', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory());

        const read = (await store.readStream('account-1', { from: 2, to: 3 }));

        assert.deepEqual(field(read.events, 'stream_version'), [2, 3]);
        assert.equal(read.currentStreamVersion, 4);
        assert.deepEqual(field((await store.readStream('account-1', { from: 4 })).events, 'stream_version'), [4]);
        assert.deepEqual((await store.readStream('account-1', { from: 3, to: 2 })).events, []);
      });

      it('reports an unknown stream as empty, at version 0', async () => {
        const read = (await store.readStream('nobody'));

        assert.deepEqual(read, { events: [], currentStreamVersion: 0, streamExists: false });
        assert.equal((await streamVersion(store, 'nobody')), 0);
      });

      it('stores a frozen copy: changing the input or the record cannot alter the log', async () => {
        const data = { amount: 100 };
        await append(store, 'account-1', { type: 'MoneyDeposited', data });
        data.amount = 999;

        const [record] = (await store.readStream<{ amount: number }>('account-1')).events;

        assert.equal(record!.data.amount, 100);
        assert.equal(Object.isFrozen(record), true);
        assert.equal(Object.isFrozen(record!.data), true);
        // Sloppy-mode code ignores the write, strict-mode code gets a TypeError: either way no change.
        attempt(() => {
          (record!.data as { amount: number }).amount = 5;
        });
        assert.equal((await store.readStream<{ amount: number }>('account-1')).events[0]!.data.amount, 100);
      });
    });

    // --- 2. Stream isolation ---
    describe('2. Stream isolation', () => {
      it('never returns events of stream "a" from readStream("b")', async () => {
        await append(store, 'a', opened('Ann'));
        await append(store, 'b', opened('Bob'));
        await append(store, 'a', deposited(10));
        await append(store, 'b', deposited(20));
        await append(store, 'a', deposited(30));

        const a = (await store.readStream('a')).events;
        const b = (await store.readStream('b')).events;

        assert.deepEqual(field(b, 'stream_id'), ['b', 'b']);
        assert.deepEqual(field(b, 'data'), [{ owner: 'Bob', initialBalance: 0 }, { amount: 20 }]);
        assert.deepEqual(field(a, 'data'), [{ owner: 'Ann', initialBalance: 0 }, { amount: 10 }, { amount: 30 }]);
        assert.equal((await streamVersion(store, 'a')), 3);
        assert.equal((await streamVersion(store, 'b')), 2);
      });
    });

    // --- 3. Optimistic concurrency ---
    describe('3. Optimistic concurrency', () => {
      it('appends when the expected version matches and throws ConcurrencyConflict when it does not', async () => {
        await append(store, 'account-1', opened(), { expectedVersion: 0 });
        await append(store, 'account-1', deposited(100), { expectedVersion: 1 });

        const error = await captureError(async () => await append(store, 'account-1', withdrawn(30), { expectedVersion: 1 }));

        assert.ok(error instanceof ConcurrencyConflict);
        assert.equal(error.streamId, 'account-1');
        assert.equal(error.expected, 1);
        assert.equal(error.actual, 2);
        assert.match(error.message, /expected version 1, actual version 2/);
        assert.equal((await streamVersion(store, 'account-1')), 2);
        assert.equal((await globalPosition(store)), 2);
      });

      it('STREAM_DOES_NOT_EXIST passes only for a new stream', async () => {
        await append(store, 'account-1', opened(), { expectedVersion: STREAM_DOES_NOT_EXIST });

        const error = await captureError(async () =>
          await append(store, 'account-1', opened(), { expectedVersion: STREAM_DOES_NOT_EXIST }),
        );

        assert.ok(error instanceof ConcurrencyConflict);
        assert.equal(error.expected, STREAM_DOES_NOT_EXIST);
        assert.equal(error.actual, 1);
        assert.equal((await streamVersion(store, 'account-1')), 1);
      });

      it('STREAM_EXISTS passes only once the stream has an event', async () => {
        const error = await captureError(async () => await append(store, 'account-1', deposited(5), { expectedVersion: STREAM_EXISTS }));
        assert.ok(error instanceof ConcurrencyConflict);
        assert.equal(error.actual, 0);
        assert.equal((await globalPosition(store)), 0);

        await append(store, 'account-1', opened());
        const result = await append(store, 'account-1', deposited(5), { expectedVersion: STREAM_EXISTS });

        assert.equal(result.nextExpectedStreamVersion, 2);
      });

      it('NO_CONCURRENCY_CHECK (the default) appends at any version', async () => {
        await append(store, 'account-1', opened());
        await append(store, 'account-1', deposited(1), { expectedVersion: NO_CONCURRENCY_CHECK });
        await append(store, 'account-1', deposited(2));

        assert.equal((await streamVersion(store, 'account-1')), 3);
      });

      it('appendToStream returns the next expected version; a stale one conflicts', async () => {
        const first = await store.appendToStream('account-1', [opened()], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
        const second = await store.appendToStream('account-1', [deposited(100)], {
          expectedStreamVersion: first.nextExpectedStreamVersion,
        });

        const error = await captureError(async () =>
          await store.appendToStream('account-1', [deposited(1)], { expectedStreamVersion: first.nextExpectedStreamVersion }),
        );

        assert.equal(first.nextExpectedStreamVersion, 1);
        assert.equal(first.createdNewStream, true);
        assert.equal(second.nextExpectedStreamVersion, 2);
        assert.equal(second.createdNewStream, false);
        assert.ok(error instanceof ConcurrencyConflict);
        assert.equal(error.actual, 2);
      });

      it('rejects a malformed expected version as a RangeError, not a conflict', async () => {
        await assert.rejects(async () => await append(store, 'account-1', opened(), { expectedVersion: -1 }), RangeError);
        await assert.rejects(async () => await append(store, 'account-1', opened(), { expectedVersion: 1.5 }), RangeError);
        assert.equal((await globalPosition(store)), 0);
      });
    });

    // --- 4. Batch writes ---
    describe('4. Batch writes', () => {
      it('appends a batch as consecutive versions and positions', async () => {
        await append(store, 'other', opened());

        const result = await appendBatch(store, 'account-1', bankAccountHistory(), { expectedVersion: STREAM_DOES_NOT_EXIST });

        assert.deepEqual(field(result.records, 'stream_version'), [1, 2, 3, 4]);
        assert.deepEqual(field(result.records, 'global_position'), [2, 3, 4, 5]);
        assert.equal(result.nextExpectedStreamVersion, 4);
        assert.equal(result.lastGlobalPosition, 5);
        assert.equal(result.createdNewStream, true);
        assert.equal(result.duplicate, false);
      });

      it('writes nothing when the one version check fails', async () => {
        await append(store, 'account-1', opened());

        await assert.rejects(
          async () => await appendBatch(store, 'account-1', [deposited(1), deposited(2)], { expectedVersion: 0 }),
          ConcurrencyConflict,
        );

        assert.equal((await streamVersion(store, 'account-1')), 1);
        assert.equal((await store.readAll()).events.length, 1);
      });

      it('writes nothing when any event of the batch is invalid', async () => {
        await append(store, 'account-1', opened());
        const unserialisable = { type: 'MoneyDeposited', data: { amount: 1n } };

        await assert.rejects(async () => await appendBatch(store, 'account-1', [deposited(1), unserialisable]), TypeError);
        await assert.rejects(async () => await appendBatch(store, 'account-1', [deposited(1), { type: '', data: {} }]), TypeError);
        await assert.rejects(async () => await appendBatch(store, 'account-1', []), RangeError);

        assert.equal((await globalPosition(store)), 1);
        assert.equal((await streamVersion(store, 'account-1')), 1);
      });

      it('notifies listeners once per batch', async () => {
        const calls: number[][] = [];
        store.subscribe((records) => calls.push(field(records, 'global_position')));

        await appendBatch(store, 'account-1', bankAccountHistory());

        assert.deepEqual(calls, [[1, 2, 3, 4]]);
      });
    });

    // --- 5. Global position ---
    describe('5. Global position', () => {
      it('increments across all streams and equals the number of events appended', async () => {
        const results = [
          await append(store, 'a', opened()),
          await append(store, 'b', opened()),
          await append(store, 'a', deposited(5)),
          await appendBatch(store, 'c', [opened(), deposited(7)]),
        ];

        assert.deepEqual(
          results.map((result) => result.lastGlobalPosition),
          [1, 2, 3, 5],
        );
        assert.deepEqual(field((await store.readAll()).events, 'global_position'), [1, 2, 3, 4, 5]);
        assert.deepEqual(field((await store.readAll()).events, 'stream_id'), ['a', 'b', 'a', 'c', 'c']);
        assert.equal((await globalPosition(store)), 5);
      });
    });

    // --- 6. Reading the global log ---
    describe('6. readAll from a position', () => {
      beforeEach(async () => {
        await appendBatch(store, 'a', [opened(), deposited(1), deposited(2)]);
        await appendBatch(store, 'b', [opened(), deposited(3)]);
      });

      it('returns the log from the given position, inclusive', async () => {
        const read = (await store.readAll({ fromPosition: 3 }));

        assert.deepEqual(field(read.events, 'global_position'), [3, 4, 5]);
        assert.deepEqual(field(read.events, 'stream_id'), ['a', 'b', 'b']);
        assert.equal(read.currentGlobalPosition, 5);
      });

      it('honours a limit', async () => {
        assert.deepEqual(field((await store.readAll({ fromPosition: 3, limit: 2 })).events, 'global_position'), [3, 4]);
        assert.deepEqual(field((await store.readAll({ limit: 1 })).events, 'global_position'), [1]);
      });

      it('returns everything by default and nothing past the end', async () => {
        assert.equal((await store.readAll()).events.length, 5);
        assert.deepEqual((await store.readAll({ fromPosition: 6 })), { events: [], currentGlobalPosition: 5 });
      });

      it('rejects a negative position or limit', async () => {
        await assert.rejects(async () => (await store.readAll({ fromPosition: -1 })), RangeError);
        await assert.rejects(async () => (await store.readAll({ limit: -1 })), RangeError);
      });
    });

    // --- 7. Projections ---
    describe('7. Projections', () => {
      it('catchUp processes from its position and returns the count: 4, then 1, then 0', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory());
        const projection = balancesProjection(store);

        const first = (await projection.catchUp());
        const stateAfterFirst = { ...projection.state.byAccount };
        await append(store, 'account-1', withdrawn(20));
        const second = (await projection.catchUp());
        const third = (await projection.catchUp());

        assert.equal(first, 4);
        assert.deepEqual(stateAfterFirst, { 'account-1': FINAL_BALANCE });
        assert.equal(second, 1);
        assert.equal(third, 0);
        assert.equal(projection.position, 5);
        assert.deepEqual(projection.state.byAccount, { 'account-1': 100 });
      });

      it('passes over events it has no handler for, still advancing', async () => {
        await append(store, 'account-1', opened());
        await append(store, 'audit', { type: 'AuditNoted', data: { note: 'hello' } });
        await append(store, 'account-1', deposited(40));
        const projection = balancesProjection(store);

        const processed = (await projection.catchUp());

        assert.equal(processed, 3);
        assert.equal(projection.position, 3);
        assert.deepEqual(projection.state.byAccount, { 'account-1': 40 });
      });

      it('refuses two handlers for one event type', async () => {
        const projection = new Projection(store, { name: 'p', initialState: () => ({}) }).when('X', () => {});

        await assert.rejects(async () => projection.when('X', () => {}), /already handles "X"/);
      });
    });

    // --- 8. Temporal queries ---
    describe('8. Temporal queries', () => {
      beforeEach(async () => {
        await append(store, 'account-1', opened());
        await append(store, 'account-2', opened('Bob'));
        await appendBatch(store, 'account-1', [deposited(100), withdrawn(30)]);
        await append(store, 'account-2', deposited(7));
        await append(store, 'account-1', deposited(50));
      });

      it('replays exactly the first N events of the stream', async () => {
        const balances = await Promise.all([0, 1, 2, 3, 4].map(
          (upTo) => reconstructState(store, 'account-1', bankAccountHandlers, { initialState: initialBankAccount, upTo }),
        ));

        assert.deepEqual(
          balances.map(({ state, streamVersion }) => [state.status, state.balance, streamVersion]),
          [
            ['unopened', 0, 0],
            ['open', 0, 1],
            ['open', 100, 2],
            ['open', 70, 3],
            ['open', 120, 4],
          ],
        );
      });

      it('replays the whole stream without upTo or with upTo beyond its end', async () => {
        const all = (await reconstructState(store, 'account-1', bankAccountHandlers, { initialState: initialBankAccount }));
        const beyond = (await reconstructState(store, 'account-1', bankAccountHandlers, {
          initialState: initialBankAccount,
          upTo: 99,
        }));

        assert.deepEqual(all, beyond);
        assert.equal(all.state.balance, FINAL_BALANCE);
        assert.equal(all.streamVersion, 4);
      });

      it('rejects a negative or fractional upTo', async () => {
        const options = { initialState: initialBankAccount };
        await assert.rejects(async () => (await reconstructState(store, 'account-1', bankAccountHandlers, { ...options, upTo: -1 })), RangeError);
        await assert.rejects(async () => (await reconstructState(store, 'account-1', bankAccountHandlers, { ...options, upTo: 0.5 })), RangeError);
      });
    });

    // --- 9. Snapshots ---
    describe('9. Snapshots', () => {
      it('saveSnapshot keeps state and position; loadSnapshot restores them; catchUp resumes after', async () => {
        const snapshots = new InMemorySnapshotStore();
        await appendBatch(store, 'account-1', bankAccountHistory());
        const original = balancesProjection(store, { snapshots });
        (await original.catchUp());

        const saved = original.saveSnapshot();
        await append(store, 'account-1', withdrawn(20));
        await append(store, 'account-2', opened('Bob'));
        const resumed = balancesProjection(store, { snapshots });
        const found = (await resumed.loadSnapshot());
        const restored = { position: resumed.position, state: structuredClone(resumed.state) };
        const processed = (await resumed.catchUp());

        assert.deepEqual(saved, { name: 'balances', position: 4, state: { byAccount: { 'account-1': 120 } } });
        assert.equal(found, true);
        assert.deepEqual(restored, { position: 4, state: { byAccount: { 'account-1': 120 } } });
        assert.equal(processed, 2);
        assert.equal(resumed.position, 6);
        assert.deepEqual(resumed.state.byAccount, { 'account-1': 100, 'account-2': 0 });
      });

      it('a snapshot is a copy: later changes to the live state do not leak into it', async () => {
        const snapshots = new InMemorySnapshotStore();
        await appendBatch(store, 'account-1', [opened(), deposited(10)]);
        const projection = balancesProjection(store, { snapshots });
        (await projection.catchUp());
        projection.saveSnapshot();

        await append(store, 'account-1', deposited(5));
        (await projection.catchUp());

        assert.deepEqual(snapshots.load('balances'), {
          name: 'balances',
          position: 2,
          state: { byAccount: { 'account-1': 10 } },
        });
      });

      it('loadSnapshot returns false and changes nothing when there is no snapshot', async () => {
        const projection = balancesProjection(store, { snapshots: new InMemorySnapshotStore() });

        assert.equal((await projection.loadSnapshot()), false);
        assert.equal(projection.position, 0);
        assert.deepEqual(projection.state, { byAccount: {} });
      });

      it('refuses a snapshot that is ahead of the store', async () => {
        const snapshots = new InMemorySnapshotStore();
        snapshots.save({ name: 'balances', position: 3, state: { byAccount: {} } });
        await append(store, 'account-1', opened());

        await assert.rejects(async () => balancesProjection(store, { snapshots }).loadSnapshot(), /position 3, beyond the store's 1/);
      });

      it('refuses to snapshot without a snapshot store', async () => {
        await assert.rejects(async () => balancesProjection(store).saveSnapshot(), /has no snapshot store/);
      });
    });

    // --- 10. Live projections ---
    describe('10. Live projections', () => {
      it('after one catch-up, every later append updates the projection with no further call', async () => {
        await appendBatch(store, 'account-1', [opened(), deposited(100)]);
        const projection = balancesProjection(store);

        const caughtUp = (await projection.startLive());
        await append(store, 'account-1', withdrawn(30));
        const afterAppend = projection.state.byAccount['account-1'];
        await appendBatch(store, 'account-2', [opened('Bob'), deposited(5)]);

        assert.equal(caughtUp, 2);
        assert.equal(afterAppend, 70);
        assert.deepEqual(projection.state.byAccount, { 'account-1': 70, 'account-2': 5 });
        assert.equal(projection.position, 5);
        assert.equal((await projection.catchUp()), 0);
      });

      it('stopLive stops following; catchUp picks up what was missed', async () => {
        const projection = balancesProjection(store);
        (await projection.startLive());
        await append(store, 'account-1', opened());

        projection.stopLive();
        await append(store, 'account-1', deposited(10));

        assert.equal(projection.isLive, false);
        assert.deepEqual(projection.state.byAccount, { 'account-1': 0 });
        assert.equal((await projection.catchUp()), 1);
        assert.deepEqual(projection.state.byAccount, { 'account-1': 10 });
      });

      it('subscribe delivers each commit in order until unsubscribed', async () => {
        const seen: string[] = [];
        const unsubscribe = store.subscribe((records) =>
          seen.push(records.map((record) => `${record.stream_id}@${record.stream_version}`).join(',')),
        );

        await append(store, 'a', opened());
        await appendBatch(store, 'b', [opened(), deposited(1)]);
        unsubscribe();
        await append(store, 'a', deposited(2));

        assert.deepEqual(seen, ['a@1', 'b@1,b@2']);
      });

      it('subscribing one function twice gives two independent subscriptions', async () => {
        let calls = 0;
        const listener = () => {
          calls += 1;
        };
        const first = store.subscribe(listener);
        store.subscribe(listener);

        await append(store, 'a', opened());
        first();
        await append(store, 'a', deposited(1));

        assert.equal(calls, 3);
      });

      it('a handler that appends does not make a live projection apply an event twice', async () => {
        const log: number[] = [];
        let nested: Promise<unknown> | undefined;
        const projection = new Projection<{ count: number }>(store, { name: 'echo', initialState: () => ({ count: 0 }) })
          .when('Ping', (state, event) => {
            state.count += 1;
            log.push(event.global_position);
            if (event.global_position === 1) nested = append(store, 'pongs', { type: 'Ping', data: {} });
          });
        (await projection.startLive());

        await append(store, 'pings', { type: 'Ping', data: {} });
        await nested; // the handler's own append, queued after the first

        assert.deepEqual(log, [1, 2]);
        assert.equal(projection.state.count, 2);
        assert.equal(projection.position, 2);
      });
    });

    // --- 11. Persistence ---
    describe('11. Persistence', () => {
      it('a reopened store reproduces the same streams, versions, positions and keys', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory(), { expectedVersion: STREAM_DOES_NOT_EXIST });
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)), { expectedVersion: 0 });
        await append(store, 'account-2', { type: 'AccountOpened', data: { owner: 'Bob', initialBalance: 0 }, metadata: { by: 'test' } });
        const before = (await store.readAll()).events;

        const reopened = (await harness.reopen());

        assert.deepEqual((await reopened.readAll()).events, before);
        assert.equal((await globalPosition(reopened)), 6);
        assert.equal((await streamVersion(reopened, 'account-1')), 4);
        assert.equal((await streamVersion(reopened, 'session-7')), 1);
        assert.equal((await streamVersion(reopened, 'account-2')), 1);
        assert.equal((await reopened.readStream('account-2')).events[0]!.metadata?.by, 'test');
        assert.equal(
          (await reopened.aggregateStream('account-1', { evolve: evolveBankAccount, initialState: initialBankAccount })).state
            .balance,
          FINAL_BALANCE,
        );
      });

      it('a reopened store continues the numbering, checks versions and remembers idempotency keys', async () => {
        await appendBatch(store, 'account-1', [opened(), deposited(100)]);
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));

        const reopened = (await harness.reopen());
        const next = await append(reopened, 'account-1', withdrawn(30), { expectedVersion: 2 });
        const replay = await append(reopened, 'session-7', asSession(generatedEvent(UUID_1, 1)));

        assert.equal(next.records[0]!.stream_version, 3);
        assert.equal(next.lastGlobalPosition, 4);
        await assert.rejects(async () => await append(reopened, 'account-1', deposited(1), { expectedVersion: 2 }), ConcurrencyConflict);
        assert.equal(replay.duplicate, true);
        assert.equal(replay.lastGlobalPosition, 3);
        assert.equal((await globalPosition(reopened)), 4);
      });
    });

    // --- 12. Handlers are pure folds ---
    describe('12. Pure folds over the bank account', () => {
      it('open, deposit 100, withdraw 30, deposit 50 gives 120 by every fold', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory());

        const reconstructed = (await reconstructState(store, 'account-1', bankAccountHandlers, {
          initialState: initialBankAccount,
        }));
        const aggregated = (await store.aggregateStream('account-1', {
          evolve: evolveBankAccount,
          initialState: initialBankAccount,
        }));
        const projection = balancesProjection(store);
        (await projection.catchUp());

        const expected: BankAccount = { status: 'open', owner: 'Ada', balance: 120, transactionCount: 3 };
        assert.deepEqual(reconstructed.state, expected);
        assert.deepEqual(aggregated, { state: expected, currentStreamVersion: 4, streamExists: true });
        assert.equal(projection.state.byAccount['account-1'], FINAL_BALANCE);
      });

      it('folding twice gives the same state and leaves the stored events unchanged', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory());
        const before = structuredClone((await store.readStream('account-1')).events);

        const first = (await reconstructState(store, 'account-1', bankAccountHandlers, { initialState: initialBankAccount }));
        const second = (await reconstructState(store, 'account-1', bankAccountHandlers, { initialState: initialBankAccount }));

        assert.deepEqual(first, second);
        assert.notEqual(first.state, second.state);
        assert.deepEqual((await store.readStream('account-1')).events, before);
      });

      it('a handler cannot change the event it folds', async () => {
        await append(store, 'account-1', deposited(100));
        const sneaky = { MoneyDeposited: (_state: object, event: StoredEvent<{ amount: number }>) => {
          (event.data as { amount: number }).amount = 0;
        } };

        await attempt(async () => (await reconstructState(store, 'account-1', sneaky, { initialState: () => ({}) })));

        assert.deepEqual((await store.readStream('account-1')).events[0]!.data, { amount: 100 });
      });

      it('aggregateStream honours a read range', async () => {
        await appendBatch(store, 'account-1', bankAccountHistory());

        const result = (await store.aggregateStream('account-1', {
          evolve: evolveBankAccount,
          initialState: initialBankAccount,
          read: { to: 2 },
        }));

        assert.equal(result.state.balance, 100);
        assert.equal(result.currentStreamVersion, 4);
      });
    });

    // --- 13. Idempotency ---
    describe('13. Idempotency', () => {
      it('keeps a generated event whole as data and keys it by its event_id', async () => {
        const event = generatedEvent(UUID_1, 1, 'login');

        const result = await append(store, 'session-7', asSession(event));

        assert.deepEqual(result.records[0]!.data, event);
        assert.equal(result.records[0]!.idempotency_key, UUID_1);
        assert.equal(result.records[0]!.type, 'login');
      });

      it('does not append an event whose key is stored; says duplicate with the stored positions', async () => {
        await append(store, 'other', opened());
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));
        await append(store, 'session-7', asSession(generatedEvent(UUID_2, 2)));
        const notified: number[] = [];
        store.subscribe((records) => notified.push(...field(records, 'global_position')));

        const again = await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));

        assert.equal(again.duplicate, true);
        assert.equal(again.nextExpectedStreamVersion, 1);
        assert.equal(again.lastGlobalPosition, 2);
        assert.equal(again.createdNewStream, false);
        assert.equal(again.records[0]!.idempotency_key, UUID_1);
        assert.equal((await globalPosition(store)), 3);
        assert.equal((await streamVersion(store, 'session-7')), 2);
        assert.deepEqual(notified, []);
      });

      it('a retry with its original expected version is a duplicate even after the stream moved on', async () => {
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)), { expectedVersion: STREAM_DOES_NOT_EXIST });
        await append(store, 'session-7', asSession(generatedEvent(UUID_2, 2)), { expectedVersion: 1 });

        const retry = await append(store, 'session-7', asSession(generatedEvent(UUID_2, 2)), { expectedVersion: 1 });

        assert.equal(retry.duplicate, true);
        assert.equal(retry.nextExpectedStreamVersion, 2);
        assert.equal((await globalPosition(store)), 2);
      });

      it('a replay whose expected version does not match its original write is an IdempotencyConflict', async () => {
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));
        await append(store, 'session-7', asSession(generatedEvent(UUID_2, 2)));

        const error = await captureError(async () =>
          await append(store, 'session-7', asSession(generatedEvent(UUID_2, 2)), { expectedVersion: 2 }),
        );

        assert.ok(error instanceof IdempotencyConflict);
        assert.deepEqual(error.keys, [UUID_2]);
        assert.match(error.message, /written after version 1/);
      });

      it('honours an explicit key, and null opts out', async () => {
        const first = await append(store, 'a', { type: 'Noted', data: { n: 1 }, idempotencyKey: 'cmd-42' });
        const again = await append(store, 'a', { type: 'Noted', data: { n: 1 }, idempotencyKey: 'cmd-42' });
        const noKey1 = await append(store, 'b', { ...asSession(generatedEvent(UUID_3, 1)), idempotencyKey: null });
        const noKey2 = await append(store, 'b', { ...asSession(generatedEvent(UUID_3, 1)), idempotencyKey: null });

        assert.equal(first.duplicate, false);
        assert.equal(again.duplicate, true);
        assert.equal(again.lastGlobalPosition, 1);
        assert.equal(noKey1.duplicate, false);
        assert.equal(noKey2.duplicate, false);
        assert.equal('idempotency_key' in noKey2.records[0]!, false);
        assert.equal((await globalPosition(store)), 3);
        await assert.rejects(async () => await append(store, 'a', { type: 'Noted', data: {}, idempotencyKey: '' }), TypeError);
      });

      it('a batch already stored whole, in order, is an idempotent replay', async () => {
        const events = [UUID_1, UUID_2, UUID_3].map((id, index) => asSession(generatedEvent(id, index + 1)));
        const original = await appendBatch(store, 'session-7', events, { expectedVersion: STREAM_DOES_NOT_EXIST });
        await append(store, 'session-7', deposited(1));

        const replay = await appendBatch(store, 'session-7', events, { expectedVersion: STREAM_DOES_NOT_EXIST });

        assert.equal(replay.duplicate, true);
        assert.deepEqual(replay.records, original.records);
        assert.equal(replay.nextExpectedStreamVersion, 3);
        assert.equal(replay.lastGlobalPosition, 3);
        assert.equal((await globalPosition(store)), 4);
      });

      it('a batch only partly stored is an IdempotencyConflict and writes nothing', async () => {
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));

        const error = await captureError(async () =>
          await appendBatch(store, 'session-7', [asSession(generatedEvent(UUID_1, 1)), asSession(generatedEvent(UUID_2, 2))]),
        );

        assert.ok(error instanceof IdempotencyConflict);
        assert.deepEqual(error.keys, [UUID_1]);
        assert.match(error.message, /1 of the batch's 2 events are already stored/);
        assert.equal((await globalPosition(store)), 1);
      });

      it('a stored batch replayed in another order is an IdempotencyConflict', async () => {
        await appendBatch(store, 'session-7', [asSession(generatedEvent(UUID_1, 1)), asSession(generatedEvent(UUID_2, 2))]);

        await assert.rejects(
          async () =>
            await appendBatch(store, 'session-7', [asSession(generatedEvent(UUID_2, 2)), asSession(generatedEvent(UUID_1, 1))]),
          IdempotencyConflict,
        );
        assert.equal((await globalPosition(store)), 2);
      });

      it('a key stored in another stream, or repeated in one batch, is an IdempotencyConflict', async () => {
        await append(store, 'session-7', asSession(generatedEvent(UUID_1, 1)));

        const elsewhere = await captureError(async () => await append(store, 'session-8', asSession(generatedEvent(UUID_1, 1))));
        const twice = await captureError(async () =>
          await appendBatch(store, 'session-9', [asSession(generatedEvent(UUID_2, 1)), asSession(generatedEvent(UUID_2, 1))]),
        );

        assert.ok(elsewhere instanceof IdempotencyConflict);
        assert.match(elsewhere.message, /already stored in stream "session-7"/);
        assert.ok(twice instanceof IdempotencyConflict);
        assert.match(twice.message, /twice in one batch/);
        assert.equal((await globalPosition(store)), 1);
      });
    });

    // --- 11b. Concurrent appends: applied one at a time, in call order ---
    describe('11b. Concurrent appends', () => {
      it('of 10 appends racing with expected version 0, exactly the first wins; the rest conflict and write nothing', async () => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => append(store, 'race', deposited(i), { expectedVersion: 0 })));

        assert.deepEqual(results.map((r) => r.status), ['fulfilled', ...Array.from({ length: 9 }, () => 'rejected')]);
        assert.ok(results.slice(1).every((r) => r.status === 'rejected' && r.reason instanceof ConcurrencyConflict));
        assert.deepEqual((await store.readStream<{ amount: number }>('race')).events.map((e) => e.data.amount), [0]);
      });

      it('unchecked appends issued together land in call order, without gaps', async () => {
        await Promise.all(Array.from({ length: 50 }, (_, i) => append(store, `s-${i % 3}`, deposited(i))));

        const { events } = await store.readAll();
        assert.deepEqual(events.map((e) => (e.data as { amount: number }).amount), Array.from({ length: 50 }, (_, i) => i));
        assert.deepEqual(events.map((e) => e.global_position), Array.from({ length: 50 }, (_, i) => i + 1));
        const reopened = await harness.reopen();
        assert.deepEqual((await reopened.readAll()).events, events);
      });
    });

    // --- 12. Limits: what a store holds can always be serialised and read back ---
    describe('12. Nesting and size limits (the same in every store)', () => {
      const nested = (depth: number): unknown => {
        let v: unknown = 'leaf';
        for (let i = 0; i < depth; i++) v = { n: v };
        return v;
      };

      it(`accepts data nested ${MAX_EVENT_DEPTH} deep and refuses ${MAX_EVENT_DEPTH + 1}, writing nothing`, async () => {
        await append(store, 'deep', { type: 'Deep', data: nested(MAX_EVENT_DEPTH) });
        const error = await captureError(() => append(store, 'deep', { type: 'Deep', data: nested(MAX_EVENT_DEPTH + 1) }));

        assert.ok(error instanceof EventLimitExceeded);
        assert.equal(error.limit, 'depth');
        assert.equal(error.message, `data of event 1 nests more than ${MAX_EVENT_DEPTH} levels deep; allowed: at most ${MAX_EVENT_DEPTH}`);
        assert.equal(await globalPosition(store), 1);
      });

      it('refuses data nested 10,000 deep without overflowing the stack, and keeps serving reads', async () => {
        const error = await captureError(() => append(store, 'deep', { type: 'Deep', data: nested(10_000) }));
        const metadata = await captureError(() => append(store, 'deep', { type: 'Deep', data: {}, metadata: nested(5_000) as Record<string, unknown> }));

        assert.ok(error instanceof EventLimitExceeded);
        assert.ok(metadata instanceof EventLimitExceeded);
        assert.match(metadata.message, /^metadata of event 1 nests more than/);
        assert.deepEqual((await store.readAll()).events, []);
      });

      it(`refuses an event over ${MAX_EVENT_BYTES} bytes of JSON, and a batch holding one writes nothing`, async () => {
        const big = { type: 'Big', data: { pad: 'x'.repeat(MAX_EVENT_BYTES) } };
        const error = await captureError(() => appendBatch(store, 'big', [opened(), big]));

        assert.ok(error instanceof EventLimitExceeded);
        assert.equal(error.limit, 'bytes');
        assert.equal(error.message, `event 2 ("Big") is ${MAX_EVENT_BYTES + 10} bytes as JSON; allowed: at most ${MAX_EVENT_BYTES} bytes per event`);
        assert.equal(await globalPosition(store), 0);
        await append(store, 'big', { type: 'Big', data: { pad: 'x'.repeat(MAX_EVENT_BYTES - 10) } });
        assert.equal(await globalPosition(store), 1);
      });
    });
  });
}

async function captureError(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

/** Runs an action that may throw (a write to a frozen object throws only in strict mode). */
async function attempt(action: () => unknown): Promise<void> {
  try {
    await action();
  } catch {
    // The outcome is asserted on the store, not on whether this threw.
  }
}
