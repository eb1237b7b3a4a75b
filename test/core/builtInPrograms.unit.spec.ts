import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-ignore: a build script in plain JS
import { renderBuiltInPrograms, PROGRAMS_PATH } from '../../scripts/builtInPrograms.mjs';
import { createSessionStream } from '../../src/index.js';
import { BUILT_IN_DOMAINS, builtInDomain } from '../../src/core/domains/index.js';
import { compileDomain } from '../../src/core/domain/compileDomain.js';
import { linkDomain } from '../../src/core/domain/linkDomain.js';

describe('core: built-in domain programs generated ahead', () => {
  it('the committed builtInPrograms.generated.ts is what compileDomain makes of the current definitions', async () => {
    assert.equal(readFileSync(PROGRAMS_PATH, 'utf8'), await renderBuiltInPrograms());
  });

  it('every built-in domain is linked with its generated function (no new Function, no expression parsing)', () => {
    for (const name of Object.keys(BUILT_IN_DOMAINS)) {
      const d = builtInDomain(name);
      assert.equal(typeof d.program, 'function', name);
      assert.deepEqual(d.events, compileDomain(BUILT_IN_DOMAINS[name]!).events, name);
    }
  });

  it('linkDomain(definition, programSource) equals compileDomain: same events, byte for byte', () => {
    const compiled = compileDomain(BUILT_IN_DOMAINS.shop!);
    const linked = linkDomain(BUILT_IN_DOMAINS.shop!, compiled.programSource);
    assert.equal(linked.programSource, compiled.programSource);
    assert.equal(linked.program, undefined);
    const text = (domain: unknown) => createSessionStream({ seed: 'link', partition: 3, domain: domain as never }).take(400).map((e) => JSON.stringify(e)).join('\n');
    const reference = text(compiled);
    assert.equal(text(linked), reference);
    assert.equal(text('shop'), reference);
    assert.match(reference, /"event_type":"checkout"/);
  });

  it('linkDomain validates the definition and refuses a program that is not one', () => {
    assert.throws(() => linkDomain({ ...BUILT_IN_DOMAINS.shop!, chain: { ...BUILT_IN_DOMAINS.shop!.chain, start: 'nope' } }, 'return {}'), /domain\.chain\.start/);
    assert.throws(() => linkDomain(BUILT_IN_DOMAINS.shop!, 42 as never), /program: is 42; allowed: the program compileDomain generated/);
  });
});
