import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureK6Bundle, repoRoot } from './k6Bundle.js';

const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL(project, import.meta.url))], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return (err.stdout ?? '') + (err.stderr ?? '') || err.message;
  }
}

describe('k6 module: type declarations', () => {
  it('src/k6 type-checks strictly with k6 types, no Node types and the ES2017 library, and mockjutsu.d.ts matches it both ways', () => {
    assert.equal(typecheck('./tsconfig.k6.json'), '');
  });

  it('dist/k6/mockjutsu.d.ts compiles for a consumer without Node or k6 types', async function () {
    await ensureK6Bundle();
    if (!existsSync(new URL('../../dist/core/index.d.ts', import.meta.url))) {
      this.skip(); // the declarations reuse dist/core, which the library build (`node build.mjs lib`) writes
    }
    assert.equal(typecheck('./tsconfig.dist.json'), '');
  });
});
