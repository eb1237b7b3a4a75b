/**
 * Run by jsonlEventStore.int.spec.ts under `ulimit -f 2` (2 048-byte files): a write that
 * hits the limit fails part-way, and the store must cut the partial line off again.
 * Prints a JSON summary on stdout.
 */
import { JsonlEventStore } from '../../src/store/index.js';

process.on('SIGXFSZ', () => {}); // the write fails with EFBIG instead of killing the process
const file = process.argv[2]!;
const store = new JsonlEventStore(file);
for (let i = 0; i < 10; i += 1) await store.appendToStream('account-1', [{ type: 'MoneyDeposited', data: { amount: i } }]);
let failure = '';
try {
  await store.appendToStream('account-1', [{ type: 'MoneyDeposited', data: { amount: 1, memo: 'x'.repeat(1_500) } }]);
} catch (error) {
  failure = (error as NodeJS.ErrnoException).code ?? String(error);
}
let after = '';
try {
  after = String((await store.appendToStream('account-1', [{ type: 'MoneyWithdrawn', data: { amount: 3 } }])).lastGlobalPosition);
} catch (error) {
  after = (error as NodeJS.ErrnoException).code ?? String(error);
}
await store.close();
process.stdout.write(JSON.stringify({ failure, after, globalPosition: store.globalPosition }));
