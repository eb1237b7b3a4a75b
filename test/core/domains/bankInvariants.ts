import assert from 'node:assert/strict';
import type { AnyEvent } from './domainInvariants.js';

/** What one bank session did, for counts across sessions. */
export interface BankSessionSummary {
  /** account id => balance after the session's last event on it, in cents. */
  readonly balances: Map<string, number>;
  readonly accounts: number;
  readonly transfers: number;
  readonly closed: number;
  readonly withdrawnAll: number;
}

/**
 * Checks the bank's rules on one session, folding each account from its own events: opened
 * first with its initial deposit as the balance; a deposit adds, a withdrawal subtracts and
 * never more than the balance; a transfer_sent is followed at once by the transfer_received
 * of the same transfer on the other (open) account of the session, with the same amount; an
 * account closes only at zero and nothing happens on it afterwards; every money event's
 * balance_cents is the fold's balance; no balance is ever below zero.
 */
export function assertBankSession(session: readonly AnyEvent[]): BankSessionSummary {
  const balances = new Map<string, number>();
  const closedAccounts = new Set<string>();
  let transfers = 0;
  let withdrawnAll = 0;
  const cents = (v: unknown, what: string): number => {
    assert.ok(Number.isSafeInteger(v), `${what} is integer cents, got ${String(v)}`);
    return v as number;
  };
  for (let i = 0; i < session.length; i++) {
    const e = session[i]!;
    const p = e.payload;
    if (e.aggregate_type === 'BankingSession') {
      assert.ok(['session_started', 'session_ended'].includes(e.event_type), `${e.event_type} on the session stream`);
      continue;
    }
    assert.equal(e.aggregate_type, 'Account');
    assert.equal(p.account_id, e.aggregate_id, 'the payload names its account');
    assert.match(e.aggregate_id, /^ACC-/);
    const id: string = e.aggregate_id;
    assert.ok(!closedAccounts.has(id), `${e.event_type} on closed account ${id}`);
    const before = balances.get(id);
    if (e.event_type === 'account_opened') {
      assert.equal(before, undefined, 'an account is opened once, first');
      assert.equal(e.stream_version, 1);
      assert.equal(p.customer_id, e.user_id);
      assert.ok(cents(p.amount_cents, 'amount') > 0, 'opened with a deposit');
      assert.equal(cents(p.balance_cents, 'balance'), p.amount_cents);
      balances.set(id, p.balance_cents);
      continue;
    }
    assert.notEqual(before, undefined, `${e.event_type} before account_opened on ${id}`);
    const b = before!;
    switch (e.event_type) {
      case 'deposited':
        assert.ok(cents(p.amount_cents, 'amount') > 0);
        assert.equal(cents(p.balance_cents, 'balance'), b + p.amount_cents, 'deposit: balance = before + amount');
        break;
      case 'withdrawn':
        assert.ok(cents(p.amount_cents, 'amount') > 0);
        assert.ok(p.amount_cents <= b, `withdrawal of ${p.amount_cents} exceeds the balance ${b}`);
        assert.equal(cents(p.balance_cents, 'balance'), b - p.amount_cents, 'withdrawal: balance = before - amount');
        if (p.balance_cents === 0) withdrawnAll++;
        break;
      case 'transfer_sent': {
        assert.ok(cents(p.amount_cents, 'amount') > 0 && p.amount_cents <= b, 'a transfer stays within the balance');
        assert.equal(cents(p.balance_cents, 'balance'), b - p.amount_cents);
        assert.notEqual(p.to_account_id, id, 'a transfer goes to the other account');
        const r = session[i + 1]!;
        assert.equal(r.event_type, 'transfer_received', 'transfer_sent is followed by its transfer_received');
        assert.equal(r.aggregate_id, p.to_account_id, 'received on the target account');
        assert.equal(r.payload.transfer_id, p.transfer_id);
        assert.equal(r.payload.from_account_id, id);
        assert.equal(r.payload.amount_cents, p.amount_cents, 'the same amount on both sides');
        assert.equal(r.causation_id, e.event_id);
        transfers++;
        break;
      }
      case 'transfer_received': {
        const s = session[i - 1]!;
        assert.equal(s.event_type, 'transfer_sent', 'transfer_received follows its transfer_sent');
        assert.equal(cents(p.balance_cents, 'balance'), b + p.amount_cents);
        break;
      }
      case 'account_closed':
        assert.equal(b, 0, `account ${id} closed with balance ${b}`);
        assert.equal(p.balance_cents, 0);
        closedAccounts.add(id);
        break;
      default:
        assert.fail(`unexpected event type ${e.event_type} on an account`);
    }
    if (e.event_type !== 'account_closed') balances.set(id, p.balance_cents);
    assert.ok(balances.get(id)! >= 0, `balance of ${id} below zero`);
  }
  const end = session[session.length - 1]!;
  assert.equal(end.payload.accounts, balances.size, 'session_ended counts the accounts');
  assert.equal(end.payload.transfers, transfers);
  return { balances, accounts: balances.size, transfers, closed: closedAccounts.size, withdrawnAll };
}
