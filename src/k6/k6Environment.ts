// The only file that touches k6's runtime: `__ENV` and `k6/execution`. Everything else in the
// bundle is plain code that gets these values as arguments.
import exec from 'k6/execution';

/** A `-e NAME=value` variable of the k6 run (`__ENV`), or undefined. */
export function envVar(name: string): string | undefined {
  if (typeof __ENV !== 'object' || __ENV === null) return undefined;
  const value = __ENV[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The running VU's test-wide id (`exec.vu.idInTest`): unique across every instance of a
 * distributed run. k6 throws when it is read in the init context, so call this lazily.
 */
export function vuIdInTest(): number {
  return exec.vu.idInTest;
}

/**
 * The running iteration's test-wide number in its scenario (`exec.scenario.iterationInTest`):
 * unique across every instance of a distributed run. Throws in the init context.
 */
export function iterationInTest(): number {
  return exec.scenario.iterationInTest;
}

/** Ends the whole test run (`exec.test.abort`) with a message. */
export function abortTest(message: string): void {
  exec.test.abort(message);
}
