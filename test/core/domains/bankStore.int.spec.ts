import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from '../../../src/index.js';
import { ConcurrencyConflict, InMemoryEventStore, JsonlEventStore, Projection, type EventStore, type StoredEvent } from '../../../src/store/index.js';
import { assertBankSession } from './bankInvariants.js';
import type { AnyEvent } from './domainInvariants.js';

type Account = { balance: number; lowest: number; open: boolean; events: number };

/**
 * The bank's read model, folded only from amounts (never from the events' balance_cents), so
 * it checks the generator's arithmetic rather than repeating it.
 */
function evolve(state: Account, event: StoredEvent): Account {
  const e = event.data as AnyEvent;
  const amount = e.payload.amount_cents as number;
  switch (e.event_type) {
    case 'account_opened': return { balance: amount, lowest: amount, open: true, events: 1 };
    case 'deposited':
    case 'transfer_received': state.balance += amount; break;
    case 'withdrawn':
    case 'transfer_sent': state.balance -= amount; break;
    case 'account_closed': state.open = false; break;
    default: throw new Error(`unexpected ${e.event_type} in an account stream`);
  }
  state.lowest = Math.min(state.lowest, state.balance);
  state.events++;
  return state;
}

const fresh = (): Account => ({ balance: 0, lowest: 0, open: false, events: 0 });

/** Generates sessions of two partitions, interleaved event by event as two load generators would. */
function generate(seed: string, sessionsPerPartition: number): AnyEvent[][] {
  const g = createGenerator({ domain: 'bank', seed });
  const out: AnyEvent[][] = [];
  for (let k = 0; k < sessionsPerPartition; k++) for (const p of ['vu-1', 'vu-2']) out.push(g.session(p, k) as unknown as AnyEvent[]);
  return out;
}

async function replay(store: EventStore, sessions: readonly AnyEvent[][]): Promise<void> {
  // Round robin over sessions, one event per turn, each appended with the expected version
  // the event's stream_version implies (an event n is appended on version n-1).
  const cursors = sessions.map(() => 0);
  let left = sessions.length;
  while (left > 0) {
    left = 0;
    for (let i = 0; i < sessions.length; i++) {
      const e = sessions[i]![cursors[i]!];
      if (e === undefined) continue;
      cursors[i]!++;
      left++;
      const r = await store.appendToStream(e.stream_id, [{ type: e.event_type, data: e }], { expectedStreamVersion: e.stream_version - 1 });
      assert.equal(r.nextExpectedStreamVersion, e.stream_version);
    }
  }
}

describe('bank end to end: generate -> append with expected versions -> fold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doms-bank-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const stores: Array<[string, () => EventStore & { close?: () => Promise<void> }]> = [
    ['in memory', () => new InMemoryEventStore()],
    ['JSONL file', () => new JsonlEventStore(join(dir, `bank-${Date.now()}.jsonl`))],
  ];

  for (const [name, open] of stores) {
    it(`per account, the store's fold gives the balance the generator tracked, never below zero (${name})`, async function () {
      this.timeout(120_000);
      const sessions = generate('bank-e2e', 1000);
      // What the generator tracked: the last event's balance_cents of each account.
      const tracked = new Map<string, number>();
      let transfers = 0;
      for (const s of sessions) {
        const summary = assertBankSession(s);
        transfers += summary.transfers;
        for (const [id, b] of summary.balances) {
          assert.ok(!tracked.has(id), `account ${id} in two sessions`);
          tracked.set(id, b);
        }
      }
      assert.ok(transfers > 100 && tracked.size > 2400, `a run with transfers (${transfers}) and second accounts (${tracked.size} accounts in 2000 sessions)`);

      const store = open();
      try {
        await replay(store, sessions);
        const total = sessions.reduce((n, s) => n + s.length, 0);
        assert.equal((await store.readAll({ limit: 1 })).currentGlobalPosition, total);

        // Fold each account's stream.
        for (const [id, balance] of tracked) {
          const r = await store.aggregateStream(`Account-${id}`, { evolve, initialState: fresh });
          assert.equal(r.state.balance, balance, `Account-${id}`);
          assert.ok(r.state.lowest >= 0, `Account-${id} went below zero: ${r.state.lowest}`);
          assert.equal(r.currentStreamVersion, r.state.events);
        }

        // The same through a projection of the global log.
        const projection = new Projection<Map<string, Account>>(store, { name: 'balances', initialState: () => new Map() });
        const apply = (m: Map<string, Account>, ev: StoredEvent) => {
          const id = (ev.data as AnyEvent).aggregate_id as string;
          m.set(id, evolve(m.get(id) ?? fresh(), ev));
        };
        for (const t of ['account_opened', 'deposited', 'withdrawn', 'transfer_sent', 'transfer_received', 'account_closed']) projection.when(t, apply);
        assert.equal(await projection.catchUp(), total);
        assert.equal(projection.state.size, tracked.size);
        for (const [id, balance] of tracked) assert.equal(projection.state.get(id)!.balance, balance, id);
        assert.ok([...projection.state.values()].every((a) => a.lowest >= 0));
        assert.ok([...projection.state.values()].some((a) => !a.open && a.balance === 0), 'closed accounts are in the run');

        // An out-of-order append (a gap in versions) is refused, as a real store would.
        const s = sessions.find((x) => x.some((e) => e.event_type === 'deposited'))!;
        const dep = s.find((e) => e.event_type === 'deposited')!;
        await assert.rejects(store.appendToStream(dep.stream_id, [{ type: 'deposited', data: { ...dep, event_id: 'not-a-retry' }, idempotencyKey: null }], { expectedStreamVersion: dep.stream_version - 1 }), ConcurrencyConflict);
      } finally {
        await store.close?.();
      }
    });
  }
});
