// One mocha root hook: builds dist/ once before any test when a source is newer than the last
// build (`npm test` has just built, so this costs one stat walk there), so that tests of the
// built bin, bundle and jar never run against a stale build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCES = ['src', 'scripts', 'build.mjs', 'package.json', 'tsconfig.json', 'jmeter-bridge/src', 'jmeter-bridge/pom.xml'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** True when dist/ is missing or older than any build input. */
export function buildIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built);
}

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    if (!buildIsStale()) return;
    this.timeout(600_000);
    execFileSync(process.execPath, [join(ROOT, 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  },
};
