// Domain expressions (#14): compile time and call cost of jsep-parsed, compiled expressions
// (src/core/domain/expression/) on the three shapes of a domain file: a guard, an arithmetic
// binding and a sum over a 5-line cart. The one-off comparison against jexl, json-logic-js,
// @marcbachmann/cel-js and filtrex that chose this design is in docs/design/domains.md ("Why
// jsep"); those engines are not dependencies, so only our figures are re-measured here.
import { compileExpression, EXPRESSION_BUILTINS, type ExpressionContext } from '../src/core/domain/expression/index.js';
import { derivePrng } from '../src/core/prng.js';
import { ProductCatalog } from '../src/core/productCatalog.js';

const CASES: Array<[string, string]> = [
  ['guard', 'self.balance > 0 && len(cart) < 8'],
  ['arithmetic binding', '(self.balance - payload.amount) * 3 / 2 + 7'],
  ['sum over 5 lines', 'sum(cart, l => l.quantity * l.price_cents)'],
  ['random draw', "outcome == 'failed' ? pick(['card_declined', 'expired_card']) : undefined"],
];

const scope = {
  self: { js: 's.self', members: ['balance'] },
  cart: { js: 's.cart', assignable: true },
  payload: { js: 'p' },
  outcome: { js: 's.outcome' },
};

// CPU time of this process, best of `runs`: steadier than wall time on a shared 2-core machine.
function bestNs(runs: number, n: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    best = Math.min(best, ((d.user + d.system) * 1000) / n);
  }
  return best;
}

export default function run(): void {
  const r = derivePrng('bench', 'expression');
  const catalog = new ProductCatalog('bench', 1000);
  const x: ExpressionContext = { r, product: () => catalog.draw(r) };
  const s = {
    self: { balance: 12_345 },
    cart: [1, 2, 3, 4, 5].map((i) => ({ sku: 'SKU-' + i, quantity: i, price_cents: 999 + i * 100 })),
    outcome: 'failed',
  };
  const p = { amount: 250 };
  console.log('expression                                   compile us   call ns   calls/s');
  let sink = 0;
  for (const [label, source] of CASES) {
    const COMPILES = 2_000;
    const compileNs = bestNs(3, COMPILES, () => {
      for (let i = 0; i < COMPILES; i++) sink += compileExpression(source, { path: 'bench', scope }).length;
    });
    const fn = new Function('$b', '$x', 's', 'p', 'return ' + compileExpression(source, { path: 'bench', scope })) as
      (b: typeof EXPRESSION_BUILTINS, x: ExpressionContext, s: unknown, p: unknown) => unknown;
    const CALLS = 2_000_000;
    const callNs = bestNs(3, CALLS, () => {
      for (let i = 0; i < CALLS; i++) if (fn(EXPRESSION_BUILTINS, x, s, p) === sink) sink++;
    });
    console.log(`${(label + ': ' + source).slice(0, 44).padEnd(44)} ${(compileNs / 1000).toFixed(1).padStart(10)} ${callNs.toFixed(1).padStart(9)} ${Math.round(1e9 / callNs).toLocaleString('en').padStart(11)}`);
  }
  if (sink === -1) console.log(sink);
}

if (import.meta.url === `file://${process.argv[1]}`) run();
