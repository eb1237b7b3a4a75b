// Domains in goja (sobek, the engine k6 runs): a module compiled ahead (compileDomainModule)
// imported beside the runtime bundle gives the library's bytes; the runtime bundle refuses a
// definition with the compile-ahead message; the bundle with the compiler compiles it in init.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileDomain, compileDomainModule, createSessionStream } from '../../src/index.js';
import { builtInDomain } from '../../src/core/domains/index.js';
import { shopDomain } from '../../src/core/domains/shopDomain.js';
import { ledgerDomain } from '../fixtures/ledgerDomain.js';
import { assertNoExecInInit, results } from './k6Results.js';
import { ensureK6Bundle } from './k6Bundle.js';
import { ensureGojaRunner, startGojaRunner, type GojaJob, type GojaRunnerProcess, type GojaRunReport } from './gojaRunner.js';

const SCRIPT = fileURLToPath(new URL('./inline-script.js', import.meta.url));
const RUNTIME = fileURLToPath(new URL('../../dist/k6/mockjutsu.js', import.meta.url));
const WITH_COMPILER = fileURLToPath(new URL('../../dist/k6/mockjutsu-domains.js', import.meta.url));

describe('k6: domains compiled ahead, in goja', function () {
  this.timeout(300_000);
  let runner: GojaRunnerProcess;
  const dir = mkdtempSync(join(tmpdir(), 'mockjutsu-k6-domains-'));
  const modules = {
    ledger: join(dir, 'ledger.k6.js'),
    shopFromSource: join(dir, 'shop-source.k6.js'),
    shopBuiltIn: join(dir, 'shop-builtin.k6.js'),
  };

  before(async function () {
    await ensureK6Bundle();
    writeFileSync(modules.ledger, compileDomainModule(compileDomain(ledgerDomain), { target: 'k6' }));
    writeFileSync(modules.shopFromSource, compileDomainModule(compileDomain(shopDomain), { target: 'k6' }));
    writeFileSync(modules.shopBuiltIn, compileDomainModule(builtInDomain('shop'), { target: 'k6' }));
    const built = ensureGojaRunner();
    if (built.skip !== undefined) {
      console.log(`      ${built.skip}`);
      this.skip();
    }
    runner = startGojaRunner(built.binary);
  });
  after(() => runner?.close());

  const run = (source: string, job: Partial<GojaJob> = {}): Promise<GojaRunReport> =>
    runner.run({ script: SCRIPT, source, env: { SEED: '42' }, vus: [1], iterations: 1, ...job });
  const library = (domain: unknown, vuId: number, n: number): string[] =>
    createSessionStream({ seed: 42, partition: vuId, domain: domain as never }).take(n).map((e) => JSON.stringify(e));

  for (const [name, path, reference] of [
    ['a custom domain (ledger)', 'ledger', () => compileDomain(ledgerDomain)],
    ['the shop compiled from its definition', 'shopFromSource', () => 'shop'],
    ['the shop compiled from the built-in (generated) program', 'shopBuiltIn', () => 'shop'],
  ] as const) {
    it(`${name}: the module + mockjutsu.js give the library's bytes per VU`, async () => {
      const vus = [1, 2, 7];
      const report = await run(`import domain from '${modules[path]}';\nimport { sessionStream } from '${RUNTIME}';\n` +
        'const stream = sessionStream({ seed: __ENV.SEED, domain: domain });\nexport default function () { return JSON.stringify(stream.next()); }', { vus, iterations: 80 });
      assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
      assertNoExecInInit(report);
      vus.forEach((vuId, i) => assert.deepEqual(results<string>(report, i), library(reference(), vuId, 80), `VU ${vuId}`));
      if (path === 'ledger') {
        const types = new Set(results<string>(report, 0).map((t) => (JSON.parse(t) as { event_type: string }).event_type));
        assert.deepEqual([...types].sort(), ['closed', 'deposited', 'opened', 'withdrawn']);
      }
    });
  }

  it('the runtime bundle refuses a definition with the compile-ahead message; the compiler bundle compiles it in init, same bytes', async () => {
    const definition = JSON.stringify(ledgerDomain);
    const refused = await run(`import { sessionStream } from '${RUNTIME}';\nconst s = sessionStream({ seed: 1, domain: ${definition} });\nexport default function () {}`);
    assert.equal(refused.optionsError?.name, 'MockjutsuError');
    assert.equal(refused.optionsError!.code, 'INVALID_DOMAIN');
    assert.equal(refused.optionsError!.message,
      'domain "ledger" must be compiled ahead for k6: mockjutsu.js carries no expression compiler (every VU would load it). ' +
      'Run `mockjutsu domain --compile ledger.json --target k6 --out ledger.k6.js`, then in the script `import ledger from \'./ledger.k6.js\'` and pass it as { domain }; ' +
      'or import mockjutsu-domains.js (the bundle with the compiler) to compile a domain in init. Built-in domains (by name) need neither; a `model` option also needs the compiler.');
    const compiled = await run(`import { sessionStream } from '${WITH_COMPILER}';\nconst stream = sessionStream({ seed: __ENV.SEED, domain: JSON.parse(${JSON.stringify(definition)}) });\n` +
      'export default function () { return JSON.stringify(stream.next()); }', { vus: [3], iterations: 50 });
    assert.equal(compiled.optionsError, undefined, JSON.stringify(compiled.optionsError));
    assert.deepEqual(results<string>(compiled), library(compileDomain(ledgerDomain), 3, 50));
  });
});
