import type { DomainDefinition } from '../domain/domainDefinition.js';

const cents = { type: 'integer', minimum: 0, description: 'integer cents' };
const positiveCents = { type: 'integer', minimum: 1, description: 'integer cents' };
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const accountId = { type: 'string', pattern: '^ACC-' };

/**
 * The bank account of the classic event-sourcing example, written only in the public domain
 * language. One session is one customer's visit (a `BankingSession` stream per session): it
 * opens one or two accounts (`Account` streams, ids `ACC-...`), each with an initial deposit,
 * deposits, withdraws (never more than the balance), transfers between its own two accounts
 * (`transfer_sent` on the source, then `transfer_received` on the target, found through
 * `last.payload.to_account_id`) and closes an account only at a zero balance.
 *
 * Money is integer cents everywhere; every money event carries `amount_cents` and the
 * account's resulting `balance_cents`, so a fold of an account's stream can be checked against
 * the last event. Why the session, not the customer, is the first aggregate: a session is a
 * pure function of (seed, partition, k), so a stream keyed by the user id would restart at
 * version 1 in each of that user's sessions; a per-session stream never does.
 */
export const bankDomain: DomainDefinition = {
  domain: 'bank',
  description: 'Bank accounts of one customer per session: open with an initial deposit, deposit, withdraw within the balance, transfer between own accounts, close at zero.',
  params: {
    currency: 'USD',
    /** A transfer needs two more steps (sent, received) before the step cap ends the session. */
    last_transfer_step: 57,
  },
  aggregates: {
    BankingSession: { stream_id: 'BankingSession-{id}', id: 'session', state: {} },
    Account: {
      stream_id: 'Account-{id}',
      id: { sequence: { prefix: 'ACC-', digits: 8 } },
      state: { balance: 0, open: true },
      max_instances: 2,
    },
  },
  session: { transfers: 0 },
  chain: {
    start: 'session_started',
    terminal: 'session_ended',
    max_steps: 60,
    states: {
      session_started: { think_time: { median_ms: 4000, sigma: 0.5 }, transitions: { account_opened: 1 } },
      account_opened: { think_time: { median_ms: 8000, sigma: 0.6 }, transitions: { deposited: 40, withdrawn: 15, account_opened: 15, transfer_sent: 10, session_ended: 10 } },
      deposited: { think_time: { median_ms: 6000, sigma: 0.6 }, transitions: { deposited: 20, withdrawn: 30, transfer_sent: 15, account_opened: 8, account_closed: 2, session_ended: 25 } },
      withdrawn: { think_time: { median_ms: 6000, sigma: 0.6 }, transitions: { deposited: 20, withdrawn: 20, transfer_sent: 10, account_closed: 15, account_opened: 5, session_ended: 30 } },
      transfer_sent: { think_time: { median_ms: 1500, sigma: 0.3 }, transitions: { transfer_received: 1 } },
      transfer_received: { think_time: { median_ms: 5000, sigma: 0.6 }, transitions: { deposited: 15, withdrawn: 25, transfer_sent: 10, account_closed: 10, session_ended: 40 } },
      account_closed: { think_time: { median_ms: 5000, sigma: 0.5 }, transitions: { account_opened: 20, deposited: 20, withdrawn: 10, session_ended: 50 } },
      session_ended: {},
    },
  },
  events: {
    session_started: {
      aggregate: 'BankingSession',
      instance: 'new',
      payload: {
        schema: {
          type: 'object', required: ['customer_id', 'channel', 'ip'],
          properties: { customer_id: { type: 'string', format: 'uuid' }, channel: { enum: ['web', 'mobile', 'branch'] }, ip: { type: 'string', format: 'ipv4' } },
        },
        fields: { customer_id: 'user.user_id' },
      },
    },
    account_opened: {
      aggregate: 'Account',
      instance: 'new',
      let: { initial: 'max(100, floor(lognormal(25000, 1.0)))' },
      payload: {
        schema: {
          type: 'object', required: ['account_id', 'customer_id', 'product', 'currency', 'amount_cents', 'balance_cents'],
          properties: {
            account_id: accountId, customer_id: { type: 'string', format: 'uuid' },
            product: { enum: ['checking', 'savings'] }, currency, amount_cents: positiveCents, balance_cents: cents,
          },
        },
        fields: { account_id: 'self.id', customer_id: 'user.user_id', currency: 'params.currency', amount_cents: 'initial', balance_cents: 'initial' },
      },
      effects: ['self.balance = initial'],
    },
    deposited: {
      aggregate: 'Account',
      guard: 'self.open',
      let: { amount: 'max(100, floor(lognormal(12000, 1.1)))' },
      payload: {
        schema: {
          type: 'object', required: ['account_id', 'amount_cents', 'balance_cents', 'currency', 'channel'],
          properties: { account_id: accountId, amount_cents: positiveCents, balance_cents: cents, currency, channel: { enum: ['atm', 'branch', 'online', 'mobile'] } },
        },
        fields: { account_id: 'self.id', amount_cents: 'amount', balance_cents: 'self.balance + amount', currency: 'params.currency' },
      },
      effects: ['self.balance = payload.balance_cents'],
    },
    withdrawn: {
      aggregate: 'Account',
      guard: 'self.open && self.balance > 0',
      // A quarter of the withdrawals take the rest (so an account can be closed); the others
      // draw an amount and never more than the balance.
      let: { amount: 'chance(0.25) ? self.balance : min(self.balance, max(1, floor(lognormal(6000, 1.0))))' },
      payload: {
        schema: {
          type: 'object', required: ['account_id', 'amount_cents', 'balance_cents', 'currency', 'channel'],
          properties: { account_id: accountId, amount_cents: positiveCents, balance_cents: cents, currency, channel: { enum: ['atm', 'branch', 'online'] } },
        },
        fields: { account_id: 'self.id', amount_cents: 'amount', balance_cents: 'self.balance - amount', currency: 'params.currency' },
      },
      effects: ['self.balance = payload.balance_cents'],
    },
    transfer_sent: {
      aggregate: 'Account',
      guard: 'self.open && self.balance > 0 && step <= params.last_transfer_step && some(Account, a => a.open && a.id != self.id)',
      let: {
        to: "pick(filter(Account, a => a.open && a.id != self.id)).id",
        amount: 'chance(0.2) ? self.balance : int(1, self.balance)',
      },
      payload: {
        schema: {
          type: 'object', required: ['transfer_id', 'account_id', 'to_account_id', 'amount_cents', 'balance_cents', 'currency'],
          properties: {
            transfer_id: { type: 'string', format: 'uuid' }, account_id: accountId, to_account_id: accountId,
            amount_cents: positiveCents, balance_cents: cents, currency,
          },
        },
        fields: { transfer_id: 'uuid()', account_id: 'self.id', to_account_id: 'to', amount_cents: 'amount', balance_cents: 'self.balance - amount', currency: 'params.currency' },
      },
      effects: ['self.balance = payload.balance_cents', 'transfers = transfers + 1'],
    },
    transfer_received: {
      aggregate: 'Account',
      // The target account named by the transfer_sent just before (the only way into this state).
      instance: 'last.payload.to_account_id',
      guard: 'self.open',
      payload: {
        schema: {
          type: 'object', required: ['transfer_id', 'account_id', 'from_account_id', 'amount_cents', 'balance_cents', 'currency'],
          properties: {
            transfer_id: { type: 'string', format: 'uuid' }, account_id: accountId, from_account_id: accountId,
            amount_cents: positiveCents, balance_cents: cents, currency,
          },
        },
        fields: {
          transfer_id: 'last.payload.transfer_id', account_id: 'self.id', from_account_id: 'last.payload.account_id',
          amount_cents: 'last.payload.amount_cents', balance_cents: 'self.balance + last.payload.amount_cents', currency: 'params.currency',
        },
      },
      effects: ['self.balance = payload.balance_cents'],
    },
    account_closed: {
      aggregate: 'Account',
      guard: 'self.open && self.balance == 0',
      payload: {
        schema: {
          type: 'object', required: ['account_id', 'balance_cents', 'reason'],
          properties: { account_id: accountId, balance_cents: cents, reason: { enum: ['customer_request', 'moved_bank', 'duplicate_account', 'fees'] } },
        },
        fields: { account_id: 'self.id', balance_cents: 'self.balance' },
      },
      effects: ['self.open = false'],
    },
    session_ended: {
      aggregate: 'BankingSession',
      payload: {
        schema: {
          type: 'object', required: ['accounts', 'transfers', 'reason', 'session_duration_ms'],
          properties: { accounts: { type: 'integer', minimum: 0 }, transfers: { type: 'integer', minimum: 0 }, reason: { enum: ['user', 'timeout', 'max_steps'] }, session_duration_ms: { type: 'integer', minimum: 0 } },
        },
        fields: {
          accounts: 'len(Account)', transfers: 'transfers',
          reason: "capped ? 'max_steps' : chance(0.8) ? 'user' : 'timeout'", session_duration_ms: 'time - session_start',
        },
      },
    },
  },
};
