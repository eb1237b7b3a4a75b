// The schema module runs where k6 runs: bundled for ES2017 it parses as ES2017, runs in a
// context with ECMAScript built-ins only (no Intl, Buffer, process...), and gives the same bytes
// as the library in Node. (The same bundle was also compared byte for byte inside goja.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as acorn from 'acorn';
import { compileSchema, createCdcGenerator, createEventMocker } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (f: string) => readFileSync(new URL(`../fixtures/schemas/${f}`, import.meta.url), 'utf8');

describe('schema module in a k6-like runtime', () => {
  let code: string;
  before(async () => {
    const r = await build({
      absWorkingDir: root, entryPoints: ['src/core/schema/index.ts'], bundle: true, write: false, format: 'iife', globalName: 'mj',
      platform: 'neutral', mainFields: ['module', 'main'], target: 'es2017', minify: true, charset: 'ascii', logLevel: 'silent',
    });
    code = r.outputFiles[0]!.text;
  });

  it('parses as ES2017', () => {
    acorn.parse(code, { ecmaVersion: 2017, sourceType: 'script' });
  });

  it('runs with ECMAScript built-ins only and matches the library byte for byte', () => {
    const ctx = vm.createContext({ large: fixture('large-event.json'), my: fixture('iatk-my-event.json') });
    vm.runInContext('delete globalThis.Intl; delete globalThis.WebAssembly;', ctx);
    for (const name of ['require', 'process', 'Buffer', 'TextEncoder', 'Intl']) assert.equal(vm.runInContext(`typeof ${name}`, ctx), 'undefined');
    vm.runInContext(code, ctx);
    const inVm = vm.runInContext(`JSON.stringify([
      mj.compileSchema(large, { seed: 'k6' }).stream('vu-9').take(100),
      mj.createEventMocker({ schema: my, ref: 'MyEvent', seed: 'k6', envelope: 'eventbridge' }).event(4, 2),
      mj.createCdcGenerator({ seed: 'k6' }).stream(1).take(300),
    ])`, ctx) as string;
    const inNode = JSON.stringify([
      compileSchema(fixture('large-event.json'), { seed: 'k6' }).stream('vu-9').take(100),
      createEventMocker({ schema: fixture('iatk-my-event.json'), ref: 'MyEvent', seed: 'k6', envelope: 'eventbridge' }).event(4, 2),
      createCdcGenerator({ seed: 'k6' }).stream(1).take(300),
    ]);
    assert.ok(inVm.length > 100_000);
    assert.equal(inVm, inNode);
  });
});
