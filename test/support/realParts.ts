// Tests that need a real part (PostgreSQL, MariaDB, sqlite3, Graphviz, JMeter, goja, script...)
// ask for it here: with CI=true a missing part fails the run, locally the test skips saying why.
import { spawnSync } from 'node:child_process';

/** True when running in CI (`CI=true`), where nothing may be skipped for a missing part. */
export const IN_CI = process.env['CI'] === 'true';

/** Whether `command` runs (`command --version` or the given probe arguments). */
export function hasCommand(command: string, probe: readonly string[] = ['--version']): boolean {
  const r = spawnSync(command, [...probe], { stdio: 'ignore' });
  return r.error === undefined;
}

/**
 * Skips the running test (or hook) when `available` is false, naming the missing part and how
 * to install it; with CI=true it throws instead, so CI cannot pass by skipping.
 */
export function requirePart(context: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  const message = `missing real part: ${what}`;
  if (IN_CI) throw new Error(`${message} (CI=true: a missing part fails the run)`);
  console.warn(`      skipped: ${message}`);
  context.skip();
}
