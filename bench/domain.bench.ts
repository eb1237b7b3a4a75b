// Domains as data (issue #14): NDJSON of the shop's events through its compiled serializer vs
// JSON.stringify of the same events, and the same for a bank-like domain. One process, same run.
// (The shop as a compiled domain vs the old hand-written simulator was measured before the old
// one was removed, in 0.3.0: see the README's performance table.)
import { openSync, writeSync, closeSync } from 'node:fs';
import { createGenerator, serializerFor, type DomainInput } from '../src/core/index.js';
import type { DomainDefinition } from '../src/core/domain/domainDefinition.js';
import { bestCpuSeconds, inSingleThreadedProcess } from './support/cpuTime.js';

/** A small bank (lane doms ships src/core/domains/bankDomain.ts; until then this one). */
export const benchBank: DomainDefinition = {
  domain: 'bank',
  envelope: { fields: { event_type: 'eventType', stream_id: 'streamId', stream_version: 'version', timestamp: 'occurredAt', schema_version: false } },
  aggregates: { Account: { stream_id: 'Account-{id}', state: { balance: 0 } } },
  session: { transfers: 0 },
  chain: {
    start: 'opened', terminal: 'closed', max_steps: 40,
    states: {
      opened: { transitions: { deposited: 5, withdrawn: 2, second: 1 } },
      second: { transitions: { deposited: 3, transferred: 3 } },
      deposited: { transitions: { deposited: 3, withdrawn: 4, transferred: 1, closed: 1 } },
      withdrawn: { transitions: { deposited: 3, withdrawn: 2, transferred: 1, closed: 1 } },
      transferred: { transitions: { deposited: 2, withdrawn: 2, closed: 1 } },
      closed: {},
    },
  },
  events: {
    opened: { instance: 'new', let: { amount: 'int(100, 5000)' }, payload: { schema: { type: 'object', properties: { owner: { type: 'string' }, currency: { type: 'string' }, initial_deposit: { type: 'integer' } } }, fields: { owner: "user.first_name + ' ' + user.last_name", currency: "'EUR'", initial_deposit: 'amount' } }, effects: ['self.balance = amount'] },
    second: { instance: 'new', payload: { schema: { type: 'object', properties: { owner: { type: 'string' }, currency: { type: 'string' }, initial_deposit: { type: 'integer' } } }, fields: { owner: "user.first_name + ' ' + user.last_name", currency: "'EUR'", initial_deposit: '0' } } },
    deposited: { let: { amount: 'int(1, 2000)' }, payload: { schema: { type: 'object', properties: { amount: { type: 'integer' }, balance: { type: 'integer' }, reference: { type: 'string' } } }, fields: { amount: 'amount', balance: 'self.balance + amount', reference: "'DEP-' + pad(step, 6)" } }, effects: ['self.balance = payload.balance'] },
    withdrawn: { guard: 'self.balance > 0', let: { amount: 'int(1, self.balance)' }, payload: { schema: { type: 'object', properties: { amount: { type: 'integer' }, balance: { type: 'integer' } } }, fields: { amount: 'amount', balance: 'self.balance - amount' } }, effects: ['self.balance = payload.balance'] },
    transferred: { guard: 'self.balance > 0 && len(Account) > 1', let: { amount: 'int(1, self.balance)' }, payload: { schema: { type: 'object', properties: { amount: { type: 'integer' }, to_account: { type: 'string' }, memo: { type: ['string', 'null'] } } }, fields: { amount: 'amount', to_account: "first(filter(Account, a => a.id != self.id)).id", memo: "chance(0.5) ? 'rent \"May\"' : null" } }, effects: ['self.balance = self.balance - amount', 'transfers = transfers + 1'] },
    closed: { instance: 'any', payload: { schema: { type: 'object', properties: { reason: { type: 'string' } } }, fields: { reason: "pick(['moved', 'fees', 'other'])" } } },
  },
};

function ndjsonTable(label: string, domain: DomainInput, sessions: number): void {
  const g = createGenerator({ seed: 'bench', domain });
  const events: object[] = [];
  for (let k = 0; k < sessions; k++) for (const e of g.session(0, k)) events.push(e);
  const serialize = serializerFor(g.config.domain);
  const fd = openSync('/dev/null', 'w');
  const write = (f: (e: object) => string): number => {
    let chunk = '';
    for (let i = 0; i < events.length; i++) {
      chunk += f(events[i]!) + '\n';
      if (chunk.length >= 65536) { writeSync(fd, chunk); chunk = ''; }
    }
    writeSync(fd, chunk);
    return events.length;
  };
  const stringify = (e: object): string => JSON.stringify(e);
  let tJson = Infinity;
  let tOurs = Infinity;
  for (let round = 0; round < 4; round++) {
    tJson = Math.min(tJson, bestCpuSeconds(1, () => write(stringify)));
    tOurs = Math.min(tOurs, bestCpuSeconds(1, () => write(serialize)));
  }
  closeSync(fd);
  const b = events.length / tJson;
  const o = events.length / tOurs;
  console.log(`NDJSON, ${label}, ${events.length} prebuilt events to /dev/null`.padEnd(55) + 'M events/s   ratio');
  console.log(`JSON.stringify (baseline)                              ${(b / 1e6).toFixed(2).padStart(10)}    1.00`);
  console.log(`the domain's compiled serializer                       ${(o / 1e6).toFixed(2).padStart(10)}    ${(o / b).toFixed(2)}`);
}

function all(): void {
  ndjsonTable('shop', 'shop', 20_000);
  ndjsonTable('bank', benchBank, 20_000);
}

export default async function (): Promise<void> {
  // One core: V8's helper threads would otherwise lend a second one (see inSingleThreadedProcess).
  if (!(await inSingleThreadedProcess(import.meta.url))) return;
  all();
}

if (process.argv.includes('--run')) all();
