import { MockjutsuError, normalizeSeed, type Seed } from '../core/index.js';
import { envVar } from './k6Environment.js';

/** `-e MOCKJUTSU_SEED=...` is used when a call gives no seed. */
export const SEED_ENV_VAR = 'MOCKJUTSU_SEED';

/**
 * The seed of a k6 call: the one given, else `__ENV.MOCKJUTSU_SEED`. There is no random
 * fallback: every VU runs in its own VM, so a seed drawn there would differ between VUs (each
 * with its own user pool and catalog) and could neither be shared nor replayed.
 */
export function resolveK6Seed(seed: Seed | undefined): string {
  if (seed !== undefined) return normalizeSeed(seed);
  const fromEnv = envVar(SEED_ENV_VAR);
  if (fromEnv !== undefined) return normalizeSeed(fromEnv, `__ENV.${SEED_ENV_VAR}`);
  throw new MockjutsuError(
    'INVALID_SEED',
    `seed is missing; pass one, e.g. sessionStream({ seed: __ENV.SEED }) with \`k6 run -e SEED=42 ...\`, or set -e ${SEED_ENV_VAR}=42. ` +
      'A k6 run needs an explicit seed: each VU runs in its own VM, so a random seed would differ per VU and could not be replayed',
    'seed',
  );
}
