import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-ignore: a build script in plain JS
import { renderBuiltInPrograms, PROGRAMS_PATH } from '../../scripts/builtInPrograms.mjs';
import { compileDomainModule, createSessionStream, isDomainModule, DOMAIN_MODULE_FORMAT } from '../../src/index.js';
import { BUILT_IN_DOMAINS, builtInDomain } from '../../src/core/domains/index.js';
import { BUILT_IN_DOMAIN_NAMES, BUILT_IN_MODULES, shopModule } from '../../src/core/domains/builtInPrograms.generated.js';
import { compileDomain } from '../../src/core/domain/compileDomain.js';
import { linkDomain } from '../../src/core/domain/linkDomain.js';
import { linkedDomainData, restoreDomain } from '../../src/core/domain/linkedDomain.js';
import { resolveDomain } from '../../src/core/domain/resolveDomain.js';
import type { DomainModule } from '../../src/core/domain/domainModule.js';

const text = (domain: unknown, n = 400) => createSessionStream({ seed: 'link', partition: 3, domain: domain as never }).take(n).map((e) => JSON.stringify(e)).join('\n');

describe('core: built-in domains compiled ahead (modules: linked data + program)', () => {
  it('the committed builtInPrograms.generated.ts is what compileDomain and linkedDomainData make of the current definitions', async () => {
    assert.equal(readFileSync(PROGRAMS_PATH, 'utf8'), await renderBuiltInPrograms());
    assert.deepEqual(BUILT_IN_DOMAIN_NAMES, Object.keys(BUILT_IN_DOMAINS));
    assert.deepEqual(Object.keys(BUILT_IN_MODULES), Object.keys(BUILT_IN_DOMAINS));
    assert.equal(BUILT_IN_MODULES.shop, shopModule);
  });

  it('each module carries exactly the linked data of its compiled definition (payloads: draw schemas only)', () => {
    for (const name of Object.keys(BUILT_IN_DOMAINS)) {
      const m = BUILT_IN_MODULES[name]!;
      assert.ok(isDomainModule(m));
      assert.equal(m.format, DOMAIN_MODULE_FORMAT);
      assert.equal(m.format, 'mockjutsu-domain-module/2');
      assert.deepEqual(m.domain, linkedDomainData(compileDomain(BUILT_IN_DOMAINS[name]!)), name);
    }
    // The shop: only login draws a field (ip, drawn alone: its program reads D[slot] for it, so
    // the module keeps the field list); the other payloads are all bound.
    const payloads = shopModule.domain.events.map((e) => [e.name, e.payload]);
    assert.deepEqual(payloads[0], ['login', { draw: { schema: { type: 'object', required: ['ip'], properties: { ip: { type: 'string', format: 'ipv4' } } }, fields: ['ip'] } }]);
    assert.deepEqual(payloads.slice(1).map(([, p]) => p), [{}, {}, {}, {}, {}, {}, {}]);
    assert.equal(JSON.stringify(shopModule.domain).includes('"properties":["'), false, 'no payload property lists');
  });

  it('the library links every built-in from its definition with the generated program (full payload schemas, no new Function)', () => {
    for (const name of Object.keys(BUILT_IN_DOMAINS)) {
      const d = builtInDomain(name);
      const c = compileDomain(BUILT_IN_DOMAINS[name]!);
      assert.equal(d.program, BUILT_IN_MODULES[name]!.program, name);
      assert.deepEqual(d.events, c.events, name);
      assert.equal(d.definition, BUILT_IN_DOMAINS[name]);
    }
    assert.deepEqual(builtInDomain('shop').events[3]!.payload!.properties, ['sku', 'name', 'quantity', 'unit_price', 'currency']);
  });

  it('restoreDomain (what the k6 runtime bundle does) gives the same events, byte for byte, without the definition', () => {
    const restored = restoreDomain(shopModule);
    const reference = text(compileDomain(BUILT_IN_DOMAINS.shop!), 600);
    assert.equal(text(restored, 600), reference);
    assert.equal(text('shop', 600), reference);
    assert.match(reference, /"event_type":"checkout"/);
    assert.equal(restored.chain.stateIndex.get('payment'), 6);
    assert.equal(restored.events[3]!.payload!.properties, undefined);
    assert.throws(() => restored.definition, /domain "shop" was linked from compiled data .* does not carry its definition/);
    assert.ok(!Object.keys(restored).includes('definition'));
    // A module: compileDomainModule's text, evaluated as a module would be.
    const source = compileDomainModule(builtInDomain('shop'), { target: 'k6' });
    const module = new Function(source.replace('export default', 'return')) () as DomainModule;
    assert.deepEqual(module.domain, shopModule.domain);
    assert.equal(text(resolveDomain(module), 600), reference);
  });

  it('restoreDomain refuses what is not a module of this format, saying to recompile', () => {
    assert.throws(() => restoreDomain({ format: 'mockjutsu-domain-module/1', name: 'x', definition: {}, program() {} } as never),
      /domain module has format "mockjutsu-domain-module\/1"; allowed: .*format mockjutsu-domain-module\/2\); recompile the domain with this version of mockjutsu/);
    assert.throws(() => resolveDomain({ format: 'mockjutsu-domain-module/2', name: 'x', program() {} }), /domain module lacks its domain data or program/);
  });

  it('a payload document several event types $ref is written once in a module', () => {
    const doc = { openapi: '3.0.0', components: { schemas: { A: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } } } } };
    const def = {
      domain: 'twice', aggregates: { T: {} },
      chain: { start: 'one', terminal: 'two', states: { one: { transitions: { two: 1 } }, two: {} } },
      events: { one: { payload: { document: doc, ref: 'A', fields: { b: '1' } } }, two: { payload: { document: doc, ref: 'A' } } },
    };
    const source = compileDomainModule(compileDomain(def), { target: 'k6' });
    assert.equal(source.split('"openapi":"3.0.0"').length - 1, 1);
    assert.match(source, /^var s0=\{"openapi":"3\.0\.0"/m);
    const module = new Function(source.replace('export default', 'return'))() as DomainModule;
    assert.equal(module.domain.events[0]!.payload!.draw!.schema, module.domain.events[1]!.payload!.draw!.schema);
    assert.equal(text(resolveDomain(module), 20), text(compileDomain(def), 20));
  });

  it('linkDomain(definition, programSource) equals compileDomain: same events, byte for byte', () => {
    const compiled = compileDomain(BUILT_IN_DOMAINS.shop!);
    const linked = linkDomain(BUILT_IN_DOMAINS.shop!, compiled.programSource);
    assert.equal(linked.programSource, compiled.programSource);
    assert.equal(linked.program, undefined);
    assert.equal(text(linked), text(compiled));
  });

  it('linkDomain validates the definition and refuses a program that is not one', () => {
    assert.throws(() => linkDomain({ ...BUILT_IN_DOMAINS.shop!, chain: { ...BUILT_IN_DOMAINS.shop!.chain, start: 'nope' } }, 'return {}'), /domain\.chain\.start/);
    assert.throws(() => linkDomain(BUILT_IN_DOMAINS.shop!, 42 as never), /program: is 42; allowed: the program compileDomain generated/);
  });
});
