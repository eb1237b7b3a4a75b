// Temp directories of tests, removed when the test process exits, so a run leaves nothing in
// /tmp even when a test fails halfway. (An exit handler, not a mocha root hook: a root hook
// tried first saw none of the specs' directories, most likely because mocha loaded this module
// twice, once for the root hooks and once for the specs.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new directory under the OS temp dir, named `prefix` + 6 random characters, removed at exit. */
export function tempDir(prefix: string): string {
  if (made.length === 0) process.once('exit', () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
