import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './replayKit.js';

/** Every module specifier `src/<folder>` imports (static and dynamic), with the importing file. */
function importsOf(folder: string): Array<{ file: string; from: string }> {
  const dir = join(repoRoot, 'src', folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const found = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
      return found.map((m) => ({ file: `${folder}/${f}`, from: m[1]! }));
    });
}

function outside(imports: Array<{ file: string; from: string }>, allowed: RegExp): string[] {
  assert.ok(imports.length >= 10, `only ${imports.length} imports found: the scan is broken`);
  return imports.filter((i) => !allowed.test(i.from)).map((i) => `${i.file} imports ${i.from}`);
}

describe('layering of the store, the sidecar and the replay target', () => {
  it('store imports only the core and node:', () => {
    assert.deepEqual(outside(importsOf('store'), /^(\.\/|\.\.\/core\/index\.js$|node:)/), []);
  });

  it('sidecar imports only the core, node:, fastify and lru-cache (never the store, the replay target or the CLI)', () => {
    assert.deepEqual(outside(importsOf('sidecar'), /^(\.\/|\.\.\/core\/index\.js$|node:|fastify$|@fastify\/swagger$|lru-cache$)/), []);
  });

  it('replay reaches the sidecar and the store through their index only, and never the CLI', () => {
    assert.deepEqual(outside(importsOf('replay'), /^(\.\/|\.\.\/(core|store|sidecar)\/index\.js$|node:|fastify$)/), []);
  });
});
