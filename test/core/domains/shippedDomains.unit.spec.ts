import assert from 'node:assert/strict';
import { createGenerator, createSessionStream } from '../../../src/index.js';
import type { Session } from '../../../src/index.js';
import { assertSessionContract } from '../contractInvariants.js';
import { EnvelopeTracker, assertSameFrequencies, frequencies, type AnyEvent } from './domainInvariants.js';
import { assertBankSession } from './bankInvariants.js';
import { assertHotelSession } from './hotelInvariants.js';

const SEEDS = 24;
const PER_SEED = 500; // 12,000 sessions per domain
const PARTITIONS = ['0', '1', 'vu-7', 'engine-a/Thread Group/3'];

interface Case {
  readonly domain: string;
  readonly start: string;
  readonly terminal: string;
  /** The domain's own rules on one session; returns counts the test requires to be non-trivial. */
  readonly check: (s: readonly AnyEvent[]) => Record<string, number>;
  /** Least totals over the 12,000 sessions, so the rules above were really exercised. */
  readonly atLeast: Record<string, number>;
}

const cases: Case[] = [
  {
    domain: 'shop', start: 'login', terminal: 'logout',
    check: (s) => {
      assertSessionContract(s as unknown as Session);
      return {
        checkouts: s.filter((e) => e.event_type === 'checkout').length,
        failedPayments: s.filter((e) => e.event_type === 'payment' && e.payload.status === 'failed').length,
        removals: s.filter((e) => e.event_type === 'remove_from_cart').length,
      };
    },
    atLeast: { checkouts: 3000, failedPayments: 300, removals: 1000 },
  },
  {
    domain: 'bank', start: 'session_started', terminal: 'session_ended',
    check: (s) => {
      const r = assertBankSession(s);
      return { twoAccounts: r.accounts === 2 ? 1 : 0, transfers: r.transfers, closed: r.closed, withdrawnAll: r.withdrawnAll };
    },
    atLeast: { twoAccounts: 2000, transfers: 1000, closed: 500, withdrawnAll: 1000 },
  },
  {
    domain: 'hotel', start: 'visit_started', terminal: 'visit_ended',
    check: (s) => {
      const r = assertHotelSession(s);
      return { multipleHolds: r.holds > 1 ? 1 : 0, confirmed: r.confirmed, released: r.released, cancelled: r.cancelled, withFee: r.withFee };
    },
    atLeast: { multipleHolds: 1000, confirmed: 3000, released: 500, cancelled: 300, withFee: 100 },
  },
];

for (const c of cases) {
  describe(`domain ${c.domain}: invariants, isolation, determinism, frequencies`, () => {
    it(`hold over ${SEEDS * PER_SEED} sessions of ${SEEDS} seeds and ${PARTITIONS.length} partitions`, function () {
      this.timeout(180_000);
      const tracker = new EnvelopeTracker(c.start, c.terminal);
      const totals: Record<string, number> = {};
      for (let s = 0; s < SEEDS; s++) {
        const g = createGenerator({ domain: c.domain, seed: `${c.domain}-${s}`, users: 50 });
        tracker.newRun();
        for (let k = 0; k < PER_SEED; k++) {
          const session = g.session(PARTITIONS[k % PARTITIONS.length]!, k) as unknown as AnyEvent[];
          try {
            tracker.check(session);
            for (const [name, n] of Object.entries(c.check(session))) totals[name] = (totals[name] ?? 0) + n;
          } catch (e) {
            (e as Error).message += ` (replay: domain ${c.domain}, seed ${c.domain}-${s}, partition ${PARTITIONS[k % PARTITIONS.length]}, session ${k})`;
            throw e;
          }
        }
      }
      assert.equal(tracker.sessions, SEEDS * PER_SEED);
      for (const [name, least] of Object.entries(c.atLeast)) assert.ok((totals[name] ?? 0) >= least, `${name}: ${totals[name]} < ${least}`);
    });

    it('partitions never share an event, stream or session, and session k of a partition depends on nothing else', () => {
      const g = createGenerator({ domain: c.domain, seed: 'isolation' });
      const tracker = new EnvelopeTracker(c.start, c.terminal);
      for (const p of PARTITIONS) for (let k = 0; k < 300; k++) tracker.check(g.session(p, k) as unknown as AnyEvent[]);
      assert.equal(new Set([...tracker.streamOwner.values()]).size, PARTITIONS.length * 300);

      const alone = createSessionStream({ domain: c.domain, seed: 'isolation', partition: 'vu-7' });
      for (let k = 0; k < 5; k++) alone.nextSession();
      const sixth = alone.nextSession();
      const busy = createGenerator({ domain: c.domain, seed: 'isolation' });
      busy.stream('vu-8').take(500);
      const again = busy.stream('vu-7', { session: 5, event: 0, position: sixth[0]!.global_position });
      assert.equal(JSON.stringify(again.nextSession()), JSON.stringify(sixth));
    });

    it('the same seed gives the same bytes; another seed does not', () => {
      const bytes = (seed: string) => {
        const g = createGenerator({ domain: c.domain, seed });
        let out = '';
        for (let k = 0; k < 50; k++) out += JSON.stringify(g.session('vu-1', k)) + '\n';
        return out;
      };
      const a = bytes('same');
      assert.equal(bytes('same'), a);
      assert.notEqual(bytes('other'), a);
      // A fresh generator, a stream and the pure session function agree byte for byte.
      const streamed = createSessionStream({ domain: c.domain, seed: 'same', partition: 'vu-1' });
      let viaStream = '';
      for (let k = 0; k < 50; k++) viaStream += JSON.stringify(streamed.nextSession().map((e, i, all) => ({ ...e, global_position: (e as AnyEvent).global_position - all[0]!.global_position + 1 }))) + '\n';
      assert.equal(viaStream, a);
    });

    it('event-type frequencies of two independent simulations agree (5 standard errors)', function () {
      this.timeout(120_000);
      const a = frequencies({ domain: c.domain, seed: 'freq-a' }, 12_000, ['0', 'vu-1']);
      const b = frequencies({ domain: c.domain, seed: 'freq-b' }, 12_000, ['2', 'vu-2']);
      assertSameFrequencies(a, b);
    });
  });
}
