import { Projection, type EventHandlers, type EventStore, type EventToAppend, type SnapshotStore, type StoredEvent } from '../../src/store/index.js';

/** The shared domain fixture: one bank account, folded from its events. */
export interface BankAccount {
  status: 'unopened' | 'open';
  owner: string | null;
  balance: number;
  transactionCount: number;
}

export interface AccountOpened {
  readonly owner: string;
  readonly initialBalance: number;
}
export interface MoneyMoved {
  readonly amount: number;
}

export const initialBankAccount = (): BankAccount => ({
  status: 'unopened',
  owner: null,
  balance: 0,
  transactionCount: 0,
});

export const opened = (owner = 'Ada'): EventToAppend<AccountOpened> => ({
  type: 'AccountOpened',
  data: { owner, initialBalance: 0 },
});
export const deposited = (amount: number): EventToAppend<MoneyMoved> => ({ type: 'MoneyDeposited', data: { amount } });
export const withdrawn = (amount: number): EventToAppend<MoneyMoved> => ({ type: 'MoneyWithdrawn', data: { amount } });

/** open with balance 0, deposit 100, withdraw 30, deposit 50: balance 120. */
export const bankAccountHistory = (): EventToAppend[] => [opened(), deposited(100), withdrawn(30), deposited(50)];
export const FINAL_BALANCE = 120;

/** Pure `(state, event) => void` folds. */
export const bankAccountHandlers: EventHandlers<BankAccount> = {
  AccountOpened: (state: BankAccount, event: StoredEvent<AccountOpened>) => {
    state.status = 'open';
    state.owner = event.data.owner;
    state.balance = event.data.initialBalance;
  },
  MoneyDeposited: (state: BankAccount, event: StoredEvent<MoneyMoved>) => {
    state.balance += event.data.amount;
    state.transactionCount += 1;
  },
  MoneyWithdrawn: (state: BankAccount, event: StoredEvent<MoneyMoved>) => {
    state.balance -= event.data.amount;
    state.transactionCount += 1;
  },
};

/** emmett-style evolve built from the same handlers: returns a new state. */
export const evolveBankAccount = (state: BankAccount, event: StoredEvent): BankAccount => {
  const next = { ...state };
  const handler = bankAccountHandlers[event.type] as ((s: BankAccount, e: StoredEvent) => void) | undefined;
  handler?.(next, event);
  return next;
};

/** Read model across accounts: balance per stream. */
export interface Balances {
  byAccount: Record<string, number>;
}
export const emptyBalances = (): Balances => ({ byAccount: {} });

/** A projection of {@link Balances} over the whole store. */
export const balancesProjection = (
  store: EventStore,
  options: { readonly name?: string; readonly snapshots?: SnapshotStore } = {},
): Projection<Balances> =>
  new Projection<Balances>(store, {
    name: options.name ?? 'balances',
    initialState: emptyBalances,
    snapshots: options.snapshots,
  })
    .when<AccountOpened>('AccountOpened', (state, event) => {
      state.byAccount[event.stream_id] = event.data.initialBalance;
    })
    .when<MoneyMoved>('MoneyDeposited', (state, event) => {
      state.byAccount[event.stream_id] = (state.byAccount[event.stream_id] ?? 0) + event.data.amount;
    })
    .when<MoneyMoved>('MoneyWithdrawn', (state, event) => {
      state.byAccount[event.stream_id] = (state.byAccount[event.stream_id] ?? 0) - event.data.amount;
    });
