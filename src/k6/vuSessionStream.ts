import {
  MockjutsuError, GENERATOR_OPTION_NAMES, createGenerator, normalizePartition,
  type GeneratorOptions, type PartitionKey, type Session, type SessionEvent, type SessionGenerator,
  type SessionStream, type SessionStreamState,
} from '../core/index.js';
import { describeValue } from '../core/mockjutsuError.js';
import { vuIdInTest } from './k6Environment.js';
import { resolveK6Seed } from './k6Seed.js';

/** Options of {@link sessionStream}: the generator options plus an optional fixed partition. */
export interface K6SessionStreamOptions extends GeneratorOptions {
  /** Overrides the partition, which is otherwise this VU's `exec.vu.idInTest`. */
  partition?: PartitionKey;
}

/**
 * This VU's session stream: the library's `SessionStream` (seed, partition, next, nextSession,
 * take, getState), bound to the VU on the first pull, never in the init context. Reading
 * `partition` binds it too.
 */
export type VuSessionStream = Omit<SessionStream, typeof Symbol.iterator>;

const STREAM_OPTIONS: readonly string[] = [...GENERATOR_OPTION_NAMES, 'partition'];

// Each VU holds its own copy of everything. A session whose user is not cached costs goja about
// a fifth of its events' time (Mash walks the user's key three times), and a cached user ~130
// bytes: 1,000 slots cover the default pool for ~130 KB per VU at most (measured in the goja
// runner). The output is the same whatever the cache size.
const K6_USER_CACHE_SIZE = 1000;

function checkStreamOptions(options: unknown): K6SessionStreamOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object such as { seed: __ENV.SEED }`, 'options');
  }
  for (const key of Object.keys(options)) {
    if (STREAM_OPTIONS.indexOf(key) < 0) {
      throw new MockjutsuError('INVALID_OPTION', `unknown option ${JSON.stringify(key)} of sessionStream; allowed: ${STREAM_OPTIONS.join(', ')}`, key);
    }
  }
  return options as K6SessionStreamOptions;
}

function partitionOfThisVu(): string {
  let id: unknown;
  try {
    id = vuIdInTest();
  } catch (e) {
    // k6 throws a wrapped Go error; it may not be an `instanceof Error` there.
    const why = typeof e === 'object' && e !== null && typeof (e as Error).message === 'string' ? (e as Error).message : String(e);
    throw new MockjutsuError(
      'INVALID_OPTION',
      "the stream's partition is this VU's exec.vu.idInTest, which k6 only knows once the VU runs: pull events in the default " +
        `function (not in the init context), or pass { partition } to sessionStream (k6 said: ${why})`,
      'partition',
    );
  }
  return normalizePartition(id, 'exec.vu.idInTest');
}

class LazyVuSessionStream implements VuSessionStream {
  private stream: SessionStream | undefined;

  constructor(private readonly generator: SessionGenerator, private readonly fixedPartition: string | undefined) {}

  get seed(): string {
    return this.generator.seed;
  }

  get partition(): string {
    return this.bound().partition;
  }

  next(): SessionEvent {
    return (this.stream || this.bound()).next();
  }

  nextSession(): Session {
    return (this.stream || this.bound()).nextSession();
  }

  take(n: number): SessionEvent[] {
    return this.bound().take(n);
  }

  getState(): SessionStreamState {
    return this.bound().getState();
  }

  private bound(): SessionStream {
    if (this.stream === undefined) {
      this.stream = this.generator.stream(this.fixedPartition !== undefined ? this.fixedPartition : partitionOfThisVu());
    }
    return this.stream;
  }
}

/**
 * This VU's deterministic session stream. Call it in the init context: options are validated
 * there (bad ones throw a {@link MockjutsuError}); the VU id is read on the first pull. Session
 * k of VU v is the library's `createSessionStream({ seed, partition: v })` session k.
 */
export function sessionStream(options: K6SessionStreamOptions = {}): VuSessionStream {
  const checked = checkStreamOptions(options);
  const fixedPartition = checked.partition === undefined ? undefined : normalizePartition(checked.partition);
  const generatorOptions: GeneratorOptions = {};
  for (const key of Object.keys(checked) as Array<keyof K6SessionStreamOptions>) {
    if (key !== 'partition') (generatorOptions as Record<string, unknown>)[key] = checked[key];
  }
  generatorOptions.seed = resolveK6Seed(checked.seed);
  if (generatorOptions.userCacheSize === undefined) generatorOptions.userCacheSize = K6_USER_CACHE_SIZE;
  return new LazyVuSessionStream(createGenerator(generatorOptions), fixedPartition);
}
