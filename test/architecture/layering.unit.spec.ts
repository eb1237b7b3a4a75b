// The dependency rule, checked on every import of src/: core <- formats <- {store, verify, export} <-
// {sidecar <- replay, k6} <- cli; nothing imports the CLI; the core and the k6 entry import nothing
// from Node (they run in k6's goja).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Which top-level folders of src/ each folder may import (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  formats: ['core', 'formats'],
  store: ['core', 'store'],
  recorder: ['core', 'recorder'],
  schemaFiles: ['core', 'schemaFiles'],
  pool: ['core', 'formats', 'recorder', 'pool'],
  verify: ['core', 'formats', 'store', 'verify'],
  // The replay target is an application over the store that plugs into the sidecar's server.
  replay: ['core', 'formats', 'store', 'sidecar', 'replay'],
  // The sidecar serves generators; the store and replay target plug in as fastify plugins.
  // Session exports made by worker threads (Node): the CLI's `export --workers`, the sidecar's bulks.
  export: ['core', 'formats', 'export'],
  sidecar: ['core', 'formats', 'recorder', 'pool', 'schemaFiles', 'export', 'sidecar'],
  k6: ['core', 'formats', 'k6'],
  cli: ['core', 'formats', 'store', 'verify', 'recorder', 'pool', 'schemaFiles', 'export', 'replay', 'sidecar', 'cli'],
};
/** Files directly in src/ and what they may import. */
const TOP_FILES: Record<string, readonly string[]> = {
  'index.ts': ['core', 'formats', 'store', 'verify', 'recorder', 'pool', 'schemaFiles'],
  'cli.ts': ['cli'],
};
/** Folders that must not import Node built-ins (they run in k6's goja too). */
const NO_NODE = new Set(['core', 'formats', 'k6']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(f) && !f.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The top-level src folder a relative import lands in ('' for a file directly in src/). */
function layerOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? '' : rel[0]!;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(SRC, file);
    const layer = layerOf(file);
    const allowed = layer === '' ? TOP_FILES[rel] : ALLOWED[layer];
    if (allowed === undefined) {
      found.push(`${rel}: src/${layer || rel} has no place in the dependency rule (add it to ALLOWED)`);
      continue;
    }
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = layerOf(resolve(dirname(file), spec));
        if (target !== '' && !allowed.includes(target)) found.push(`${rel} imports ${spec} (src/${target}); src/${layer} may import ${allowed.join(', ')}`);
      } else if (NO_NODE.has(layer) && (spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'stream', 'child_process', 'worker_threads'].includes(spec))) {
        found.push(`${rel} imports ${spec}; src/${layer} runs in k6 too and may not use Node`);
      } else if (layer === 'core' && spec.startsWith('k6')) {
        found.push(`${rel} imports ${spec}; src/core is runtime-agnostic`);
      }
    }
  }
  return found;
}

describe('architecture: the dependency rule (unit)', () => {
  it('every import of src/ follows core <- formats <- {store, verify, export} <- {sidecar <- replay, k6} <- cli', () => {
    assert.deepEqual(violations(), []);
  });

  it('finds the imports it checks (a rule that sees nothing cannot fail)', () => {
    assert.deepEqual(specifiers("import a from './x.js';\nexport { b } from '../y.js';\nimport './z.js';\nconst c = await import('node:fs');"), ['./x.js', '../y.js', './z.js', 'node:fs']);
    const cli = readFileSync(join(SRC, 'cli', 'commands.ts'), 'utf8');
    assert.ok(specifiers(cli).includes('./commands/serveCommand.js'));
  });
});
