import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import { bundlePath, bundleText, cjsBundlePath, ensureK6Bundle, type K6BundleBuild, type K6BundleFile } from './k6Bundle.js';

const BUDGET_BYTES = 150 * 1024;

// Names the bundle must never reference: Node, browser-only and Intl-backed APIs k6 lacks.
// (`require` is allowed in the CommonJS file for `require("k6/execution")` only; checked apart.)
const FORBIDDEN_NAMES = new Set([
  'require', 'process', 'Buffer', 'Intl', 'crypto', 'TextEncoder', 'TextDecoder', 'setImmediate', 'setTimeout', 'setInterval',
  'queueMicrotask', 'structuredClone', 'fetch', 'window', 'document', 'navigator', 'self', 'global', '__dirname', '__filename',
  'eval', 'Function', 'WebAssembly', 'SharedArrayBuffer', 'Atomics',
  'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'localeCompare', 'toLocaleUpperCase', 'toLocaleLowerCase',
]);

const FILES: Array<{ name: string; path: string; sourceType: 'module' | 'script'; pick: (b: K6BundleBuild) => K6BundleFile }> = [
  { name: 'ESM (mockjutsu.js, for import on k6 >= 0.53)', path: bundlePath, sourceType: 'module', pick: (b) => b },
  { name: 'CommonJS (mockjutsu.cjs.js, for require on any k6)', path: cjsBundlePath, sourceType: 'script', pick: (b) => b.cjs },
];

/** Names the code references, and `require(...)` calls with their argument. */
function scan(code: string, sourceType: 'module' | 'script'): { names: string[]; requires: string[]; dynamicImport: boolean } {
  const names: string[] = [];
  const requires: string[] = [];
  let dynamicImport = false;
  const tokens = [...acorn.tokenizer(code, { ecmaVersion: 2017, sourceType })];
  tokens.forEach((token, i) => {
    // A property (`x.document`, `{ document: ... }`) is not a reference to the global.
    const previous = tokens[i - 1];
    const isProperty = previous?.type.label === '.' || (tokens[i + 1]?.type.label === ':' && (previous?.type.label === '{' || previous?.type.label === ','));
    if (token.type.label === 'name' && FORBIDDEN_NAMES.has(token.value) && !isProperty) {
      const call = token.value === 'require' && tokens[i + 1]?.type.label === '(' && tokens[i + 2]?.type.label === 'string' && tokens[i + 3]?.type.label === ')';
      if (call) requires.push(tokens[i + 2]!.value as string);
      else names.push(token.value);
    }
    if (token.type.label === '(' && tokens[i - 1]?.type.keyword === 'import') dynamicImport = true;
  });
  return { names, requires, dynamicImport };
}

describe('k6 bundle: build output', () => {
  let build: K6BundleBuild;
  before(async () => {
    build = await ensureK6Bundle();
  });

  for (const f of FILES) {
    describe(f.name, () => {
      let code: string;
      let file: K6BundleFile;
      before(() => {
        code = bundleText(f.path);
        file = f.pick(build);
      });

      it('is made only of src/core, src/k6 and ret (the schema compiler\'s regex tokenizer), and imports only k6/execution', () => {
        assert.equal(file.outfile, f.path);
        assert.ok(file.inputs.length > 0);
        for (const input of file.inputs) {
          assert.match(input, /^(src\/core\/.*\.ts|src\/k6\/.*\.ts|node_modules\/ret\/dist\/.*\.js)$/, `unexpected input ${input}`);
        }
        assert.ok(file.inputs.includes('src/core/alea.ts'));
        // The variants for engines without a JIT replace the V8 ones (same results: test/core/alea,
        // uuid and timeModel specs).
        for (const [jit, noJit] of [['aleaState', 'aleaStateNoJit'], ['uuid', 'uuidNoJit'], ['isoTime', 'isoTimeNoJit']]) {
          assert.ok(file.inputs.includes(`src/core/${noJit}.ts`), noJit);
          assert.ok(!file.inputs.includes(`src/core/${jit}.ts`), jit);
        }
        assert.ok(!file.inputs.some((i) => i.includes('@faker-js')), 'faker itself is never bundled (only the generated slice)');
        assert.deepEqual(file.imports, ['k6/execution']);
        const importStatements = code.match(/\bimport\s*[\w$\{*][^;]*?from\s*"[^"]+"/g) ?? [];
        const requires = scan(code, f.sourceType).requires;
        if (f.sourceType === 'module') {
          assert.deepEqual(importStatements.map((s) => /"([^"]+)"$/.exec(s)![1]), ['k6/execution']);
          assert.deepEqual(requires, []);
        } else {
          assert.deepEqual(importStatements, []);
          assert.deepEqual(requires, ['k6/execution']);
          assert.match(code, /\bmodule\.exports\s*=/);
        }
      });

      it(`re-parses as ES2017 (${f.sourceType}: what k6 before v0.53 can load)`, () => {
        assert.doesNotThrow(() => acorn.parse(code, { ecmaVersion: 2017, sourceType: f.sourceType }));
        // The check has teeth: the same text plus one ES2018 construct (object spread) fails.
        assert.throws(() => acorn.parse(code + '\n;({...{}});', { ecmaVersion: 2017, sourceType: f.sourceType }));
      });

      it(`stays within the ${BUDGET_BYTES / 1024} KB budget`, function () {
        const bytes = Buffer.byteLength(code);
        assert.equal(bytes, file.bytes);
        assert.ok(bytes <= BUDGET_BYTES, `bundle is ${bytes} bytes, budget ${BUDGET_BYTES}`);
        this.test!.title += ` (${(bytes / 1024).toFixed(1)} KB)`;
      });

      it('references no forbidden global or Intl-backed method, and has no dynamic import', () => {
        const { names, dynamicImport } = scan(code, f.sourceType);
        assert.deepEqual(names, []);
        assert.equal(dynamicImport, false);
        // The plain-text checks, too (strings included: none of these appear at all).
        for (const text of ['process.', 'Buffer', 'Intl', 'import(', 'TextEncoder', 'new Function']) {
          assert.ok(!code.includes(text), `bundle contains ${JSON.stringify(text)}`);
        }
      });

      it('references no source map (old k6 would load and transpile it), but ships one beside it, and the type declarations', () => {
        assert.doesNotMatch(code, /sourceMappingURL/);
        const map = JSON.parse(readFileSync(f.path + '.map', 'utf8')) as { sources: string[]; file?: string };
        assert.ok(map.sources.some((s) => s.endsWith('src/k6/index.ts')));
        const dts = f.path.replace(/\.js$/, '.d.ts');
        assert.ok(existsSync(dts));
        assert.equal(readFileSync(dts, 'utf8'), readFileSync(new URL('../../src/k6/mockjutsu.d.ts', import.meta.url), 'utf8'));
      });
    });
  }

  it('both files are built from the same inputs', () => {
    assert.deepEqual([...build.cjs.inputs].sort(), [...build.inputs].sort());
  });

  it('the runtime bundle carries built-ins as linked data: no definition, no validation or serializer code, no compiler', () => {
    for (const input of [
      'src/core/domain/linkDomain.ts', 'src/core/domain/domainChain.ts', 'src/core/domain/compileDomain.ts', 'src/core/domain/nearestName.ts',
      'src/core/domain/eventSerializerSource.ts', 'src/core/domain/eventSerializer.ts', 'src/core/domains/shopDomain.ts', 'src/core/domains/index.ts',
      'src/core/domain/modelDomain.ts', 'src/core/markovModel.ts',
    ]) assert.equal(build.contributions[input] ?? 0, 0, input);
    for (const input of ['src/core/domains/builtInPrograms.generated.ts', 'src/core/domain/linkedDomain.ts', 'src/k6/builtInDomainsStub.ts', 'src/core/domain/eventSerializerNoJit.ts']) {
      assert.ok(build.contributions[input]! > 0, input);
    }
    const code = bundleText(bundlePath);
    // The shop's definition (its expressions as text) and linkDomain's messages are not in it;
    // its program (generated code) and its chain (data) are.
    assert.ok(!code.includes('len(cart) < params.max_cart_lines'));
    assert.ok(!code.includes('did you mean'));
    assert.ok(!code.includes('is not a state of the chain'));
    assert.match(code, /"remove_from_cart"/);
    assert.match(code, /mockjutsu-domain-module\/2/);
  });

  it('ships every built-in domain as a module beside the bundles (dist/k6/domains/NAME.k6.js), ES2017, evaluating no code', () => {
    assert.deepEqual(build.builtInModules.map((p) => p.replace(/^.*\/dist\/k6\//, '')), ['domains/shop.k6.js', 'domains/bank.k6.js', 'domains/hotel.k6.js']);
    for (const path of build.builtInModules) {
      const code = readFileSync(path, 'utf8');
      const name = path.replace(/^.*\/([a-z]+)\.k6\.js$/, '$1');
      assert.ok(code.startsWith(`// mockjutsu compiled domain "${name}" for k6 (format mockjutsu-domain-module/2)`), path);
      assert.doesNotThrow(() => acorn.parse(code, { ecmaVersion: 2017, sourceType: 'module' }));
      // (`self` is the program's own parameter there, not the global: the module is not minified)
      assert.deepEqual(scan(code, 'module').names.filter((n) => n !== 'self'), []);
      assert.ok(!code.includes('new Function') && !code.includes('eval('));
      assert.ok(code.endsWith(`\nexport default { format: "mockjutsu-domain-module/2", name: "${name}", domain: domain, program: program };\n`), path);
    }
  });
});
