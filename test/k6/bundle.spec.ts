import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import { bundlePath, bundleText, ensureK6Bundle, type K6BundleBuild } from './k6Bundle.js';

const BUDGET_BYTES = 150 * 1024;

// Names the bundle must never reference: Node, browser-only and Intl-backed APIs k6 lacks.
const FORBIDDEN_NAMES = new Set([
  'require', 'process', 'Buffer', 'Intl', 'crypto', 'TextEncoder', 'TextDecoder', 'setImmediate', 'setTimeout', 'setInterval',
  'queueMicrotask', 'structuredClone', 'fetch', 'window', 'document', 'navigator', 'self', 'global', '__dirname', '__filename',
  'eval', 'Function', 'WebAssembly', 'SharedArrayBuffer', 'Atomics',
  'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'localeCompare', 'toLocaleUpperCase', 'toLocaleLowerCase',
]);

describe('k6 bundle: build output', () => {
  let build: K6BundleBuild;
  let code: string;
  before(async () => {
    build = await ensureK6Bundle();
    code = bundleText();
  });

  it('is made only of src/core, src/k6, seedrandom/lib/alea.js and ret (regex patterns), and imports only k6/execution', () => {
    assert.ok(build.inputs.length > 0);
    for (const input of build.inputs) {
      assert.match(input, /^(src\/core\/.*\.ts|src\/k6\/.*\.ts|node_modules\/seedrandom\/lib\/alea\.js|node_modules\/ret\/dist\/.*\.js)$/, `unexpected input ${input}`);
    }
    assert.ok(build.inputs.includes('node_modules/seedrandom/lib/alea.js'));
    assert.ok(!build.inputs.some((i) => i.includes('@faker-js')), 'faker itself is never bundled (only the generated slice)');
    assert.deepEqual(build.imports, ['k6/execution']);
    const importStatements = code.match(/\bimport\s*[\w{*][^;]*?from\s*"[^"]+"/g) ?? [];
    assert.deepEqual(importStatements.map((s) => /"([^"]+)"$/.exec(s)![1]), ['k6/execution']);
  });

  it('re-parses as an ES2017 module (what k6 before v0.53 can transpile)', () => {
    assert.doesNotThrow(() => acorn.parse(code, { ecmaVersion: 2017, sourceType: 'module' }));
  });

  it(`stays within the ${BUDGET_BYTES / 1024} KB budget`, function () {
    const bytes = Buffer.byteLength(code);
    assert.equal(bytes, build.bytes);
    assert.ok(bytes <= BUDGET_BYTES, `bundle is ${bytes} bytes, budget ${BUDGET_BYTES}`);
    this.test!.title += ` (${(bytes / 1024).toFixed(1)} KB)`;
  });

  it('references no forbidden global or Intl-backed method, and has no dynamic import', () => {
    const found: string[] = [];
    const tokens = [...acorn.tokenizer(code, { ecmaVersion: 2017, sourceType: 'module' })];
    tokens.forEach((token, i) => {
      const previous = tokens[i - 1];
      // A property (`x.document`, `{ document: ... }`) is not a reference to the global.
      const isProperty = previous?.type.label === '.' || (tokens[i + 1]?.type.label === ':' && (previous?.type.label === '{' || previous?.type.label === ','));
      if (token.type.label === 'name' && FORBIDDEN_NAMES.has(token.value) && !isProperty) found.push(token.value);
      if (token.type.label === '(' && previous?.type.keyword === 'import') found.push('import()');
    });
    assert.deepEqual(found, []);
    // The plain-text checks, too (strings included: none of these appear at all).
    for (const text of ['require(', 'process.', 'Buffer', 'Intl', 'import(', 'TextEncoder', 'new Function']) {
      assert.ok(!code.includes(text), `bundle contains ${JSON.stringify(text)}`);
    }
  });

  it('ships a source map and the type declarations', () => {
    assert.match(code, /\/\/# sourceMappingURL=mockjutsu\.js\.map\s*$/);
    const map = JSON.parse(readFileSync(bundlePath + '.map', 'utf8')) as { sources: string[] };
    assert.ok(map.sources.some((s) => s.endsWith('src/k6/index.ts')));
    const dts = bundlePath.replace(/\.js$/, '.d.ts');
    assert.ok(existsSync(dts));
    assert.equal(readFileSync(dts, 'utf8'), readFileSync(new URL('../../src/k6/mockjutsu.d.ts', import.meta.url), 'utf8'));
  });
});
