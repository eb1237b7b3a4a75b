import { readFile } from 'node:fs/promises';
import {
  MockjutsuError, parseModel, resolveSeed,
  type GeneratorOptions, type MarkovModelDefinition,
} from '../core/index.js';
import { UsageError, type CliIo } from './cliCommand.js';
import { parseIntegerFlag, type FlagValues } from './commandArgs.js';
import { loadPoolItems } from '../pool/poolFile.js';
import type { UserRecord } from '../core/userRecords.js';
import { DOMAIN_FLAGS, domainFlagsHelp, resolveDomainFlags, type LoadedDomain } from './domainFlags.js';

/** Flags every generating command takes. */
export const GENERATOR_FLAGS = {
  ...DOMAIN_FLAGS,
  seed: { type: 'string' },
  users: { type: 'string' },
  start: { type: 'string' },
  model: { type: 'string' },
  partition: { type: 'string' },
  'session-interval': { type: 'string' },
  spread: { type: 'string' },
  activity: { type: 'string' },
  'catalog-size': { type: 'string' },
  currency: { type: 'string' },
  'site-url': { type: 'string' },
} as const;

/** Help lines of {@link GENERATOR_FLAGS}. */
export const GENERATOR_FLAGS_HELP = `Generator options:
${domainFlagsHelp()}
  --seed SEED        any string (1-256 chars) or integer; same seed => same bytes. Without it a
                     random seed is used and printed on stderr so the run can be replayed
  --users N|FILE     users sessions are drawn from, 1..10000000 (default 1000), or a file of
                     users that exist in the system under test (records with user_id or id,
                     email, name...: .msgpack from the recorder, .ndjson, .json, .csv)
  --start TIME       first session's start: ISO-8601 ("2025-01-01T00:00:00Z"), epoch ms or
                     "now" (default 2025-01-01T00:00:00.000Z)
  --model FILE       the shop with its chain replaced by a Markov model JSON file
  --partition KEY    partition to draw from (a k6 VU id, a JMeter thread key...; default 0)
  --session-interval MS
                     session k of a partition starts in the k-th interval (default 1800000)
  --spread MS        spread session starts over MS along the --activity curve instead
  --activity A       daily-weekly (default: evening peak, quiet nights, busier weekends) or flat
  --catalog-size N   products in the catalog, 10..100000 (default 500)
  --currency CODE    ISO 4217 code of every price (default USD)
  --site-url ORIGIN  origin of page_view URLs (default https://shop.example.com)`;

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** The model of `--model FILE` (a chain that replaces the shop's), validated. */
export async function loadModelFlag(file: string): Promise<MarkovModelDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`--model ${JSON.stringify(file)}: cannot read the file: ${READ_ERRORS[code] ?? (e as Error).message}`);
  }
  try {
    return parseModel(text);
  } catch (e) {
    if (e instanceof MockjutsuError) throw new MockjutsuError(e.code, `--model ${JSON.stringify(file)}: ${e.message}`, e.path);
    throw e;
  }
}

/** `--users`: a count (digits), or a file of user records (a pool file: .msgpack, .ndjson, .json, .csv). */
export function parseUsersFlag(value: string, flag: string): number | UserRecord[] {
  if (/^[0-9]+$/.test(value)) return parseIntegerFlag(value, flag, 1, 10_000_000);
  try {
    return loadPoolItems<UserRecord>(value).items;
  } catch (e) {
    if (e instanceof MockjutsuError) throw new UsageError(`${flag} ${JSON.stringify(value)}: not a count (1..10000000) and ${e.message.replace(/^"[^"]*"(: | )?/, '')}`);
    throw e;
  }
}

/** Generator options built from the flags, and the seed the run uses. */
export interface ResolvedGeneratorFlags {
  options: GeneratorOptions & { partition?: string };
  /** Canonical seed string (the given one, or a fresh random one). */
  seed: string;
  /** True when no --seed was given: the caller reports the seed once the other flags are valid. */
  randomSeed: boolean;
  /** The domain of --domain (undefined: the shop). */
  domain?: LoadedDomain;
}

/** `--start`: digits (with an optional sign) are epoch ms, anything else goes to the core as text. */
export function parseStartFlag(value: string): string | number {
  return /^-?[0-9]+$/.test(value) ? Number(value) : value;
}

/** Turns the generator flags into options (model file loaded and validated, seed resolved). */
export async function resolveGeneratorFlags(values: FlagValues<typeof GENERATOR_FLAGS>): Promise<ResolvedGeneratorFlags> {
  const seed = resolveSeed(values.seed);
  const domainFlags = await resolveDomainFlags(values);
  const options: GeneratorOptions & { partition?: string } = { seed, ...domainFlags.options };
  if (values.users !== undefined) options.users = parseUsersFlag(values.users, '--users');
  if (values.start !== undefined) options.start = parseStartFlag(values.start);
  if (values.model !== undefined) options.model = await loadModelFlag(values.model);
  if (values.partition !== undefined) options.partition = values.partition;
  // Checked by the core, whose messages name the flag (see withFlagNames).
  if (values['session-interval'] !== undefined) options.sessionIntervalMs = parseIntegerFlag(values['session-interval'], '--session-interval', 1, 365 * 86_400_000);
  if (values.spread !== undefined) options.spreadMs = parseIntegerFlag(values.spread, '--spread', 1, 10 * 365 * 86_400_000);
  if (values.activity !== undefined) options.activity = values.activity as GeneratorOptions['activity'];
  if (values['catalog-size'] !== undefined) options.catalogSize = parseIntegerFlag(values['catalog-size'], '--catalog-size', 10, 100_000);
  if (values.currency !== undefined) options.currency = values.currency;
  if (values['site-url'] !== undefined) options.siteUrl = values['site-url'];
  return { options, seed, randomSeed: values.seed === undefined, domain: domainFlags.domain };
}

/** Prints the replay hint for a run without --seed. */
export function reportSeed(resolved: ResolvedGeneratorFlags, io: CliIo): void {
  if (resolved.randomSeed) io.stderr.write(`mockjutsu: seed ${resolved.seed} (replay with --seed ${resolved.seed})\n`);
}

const FLAG_OF_PATH: Record<string, string> = {
  seed: '--seed', users: '--users', start: '--start', partition: '--partition', session: '--session',
  activity: '--activity', currency: '--currency', siteUrl: '--site-url',
};

/**
 * Runs `fn`, rewording the core's errors about an option ("start is ...") to name the flag
 * ("--start is ...") that carried it.
 */
export async function withFlagNames<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MockjutsuError && e.path !== undefined && Object.hasOwn(FLAG_OF_PATH, e.path) && e.message.startsWith(e.path + ' ')) {
      throw new MockjutsuError(e.code, FLAG_OF_PATH[e.path] + e.message.slice(e.path.length), e.path);
    }
    throw e;
  }
}
