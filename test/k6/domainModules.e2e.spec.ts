// Domains in goja (sobek, the engine k6 runs): a module compiled ahead (compileDomainModule)
// imported beside the runtime bundle gives the library's bytes; the runtime bundle refuses a
// definition with the compile-ahead message; the bundle with the compiler compiles it in init.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileDomain, compileDomainModule, createSessionStream } from '../../src/index.js';
import { builtInDomain } from '../../src/core/domains/index.js';
import { shopDomain } from '../../src/core/domains/shopDomain.js';
import { ledgerDomain } from '../fixtures/ledgerDomain.js';
import { assertNoExecInInit, results } from './k6Results.js';
import { ensureK6Bundle } from './k6Bundle.js';
// @ts-ignore: a build script in plain JS
import { renderExampleModules } from '../../scripts/builtInPrograms.mjs';
import { startGojaRunnerFor, type GojaJob, type GojaRunnerProcess, type GojaRunReport } from './gojaRunner.js';
import { tempDir } from '../support/tempDirs.js';

const SCRIPT = fileURLToPath(new URL('./inline-script.js', import.meta.url));
const RUNTIME = fileURLToPath(new URL('../../dist/k6/mockjutsu.js', import.meta.url));
const WITH_COMPILER = fileURLToPath(new URL('../../dist/k6/mockjutsu-domains.js', import.meta.url));
const EXAMPLES = new URL('../../k6-scripts/', import.meta.url);
const SHOP_MODULE = fileURLToPath(new URL('../../dist/k6/domains/shop.k6.js', import.meta.url));

describe('k6: domains compiled ahead, in goja', function () {
  this.timeout(300_000);
  let runner: GojaRunnerProcess;
  const dir = tempDir('mockjutsu-k6-domains-');
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
    runner = startGojaRunnerFor(this);
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

  it('the built-in shop shipped as dist/k6/domains/shop.k6.js gives the same bytes as the shop inside mockjutsu.js', async () => {
    const report = await run(`import shop from '${SHOP_MODULE}';\nimport { sessionStream, serializeEvent } from '${RUNTIME}';\n` +
      'const stream = sessionStream({ seed: __ENV.SEED, domain: shop });\nconst inside = sessionStream({ seed: __ENV.SEED });\n' +
      'export default function () { const a = JSON.stringify(stream.next()); const b = serializeEvent(inside.next()); if (a !== b) throw new Error(a + " vs " + b); return a; }', { vus: [4], iterations: 60 });
    assert.equal(report.optionsError, undefined, JSON.stringify(report.optionsError));
    assert.deepEqual(results<string>(report), library('shop', 4, 60));
  });

  it('examples 04 (module compiled ahead) and 05 (JSON compiled in init) post the library\'s ledger events, the same requests both ways', async () => {
    const ledger = JSON.parse(readFileSync(new URL('domains/ledger.json', EXAMPLES), 'utf8'));
    // The committed module is what the compiler makes of the JSON today (`npm run build` rewrites it).
    for (const [path, text] of Object.entries(await renderExampleModules() as Record<string, string>)) assert.equal(readFileSync(path, 'utf8'), text, path);
    const vus = [1, 2];
    const reports = [];
    for (const name of ['04-domain-compiled-ahead.js', '05-domain-compiled-in-init.js']) {
      const report = await runner.run({ script: fileURLToPath(new URL(name, EXAMPLES)), env: { SEED: '42', TARGET_URL: 'http://127.0.0.1:8099' }, vus, iterations: 30 });
      assert.equal(report.optionsError, undefined, `${name}: ${JSON.stringify(report.optionsError)}`);
      assert.equal(JSON.parse(report.options!).vus, 10);
      report.vus.forEach((vu, i) => {
        assert.equal(vu.initError, undefined, `${name}: ${JSON.stringify(vu.initError)}`);
        for (const it of vu.iterations) assert.equal(it.error, undefined, `${name}: ${JSON.stringify(it.error)}`);
        const expected = createSessionStream({ seed: 42, partition: vus[i]!, domain: compileDomain(ledger) }).take(30);
        assert.deepEqual(vu.requests.map((r) => [r.url, r.body, r.headers['If-Match'], r.status]),
          expected.map((e) => [`http://127.0.0.1:8099/streams/${e.stream_id}`, JSON.stringify(e), String((e.stream_version as number) - 1), 201]));
        assert.equal(vu.requests[0]!.url, `http://127.0.0.1:8099/streams/Account-AC${vus[i]}-000000`);
        assert.equal(vu.checks.length, 60);
        assert.ok(vu.checks.every((c) => c.ok));
      });
      reports.push(report.vus.map((v) => v.requests));
    }
    assert.deepEqual(reports[1], reports[0]);
  });

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
