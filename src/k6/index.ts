// The k6 entry: `import { sessionStream } from './mockjutsu.js'` in a k6 script gives every VU
// its own deterministic session stream. Bundled by scripts/buildK6Bundle.mjs into dist/k6/.
import {
  MockjutsuError, jutsu,
  type BulkOptions, type GenerateOptions, type TypeMap, type TypeName,
} from '../core/index.js';
import { describeValue } from '../core/mockjutsuError.js';
import { resolveK6Seed } from './k6Seed.js';

export { sessionStream, type K6SessionStreamOptions, type VuSessionStream } from './vuSessionStream.js';
export { SEED_ENV_VAR } from './k6Seed.js';
export { dataPool, type K6DataPool, type K6DataPoolOptions } from './dataPool.js';
export {
  MockjutsuError, serializeEvent, serializeSession, SCHEMA_VERSION,
  parseNdjsonRecords,
  // Mock events from schemas (pass the schema from open() in init, partition: exec.vu.idInTest)
  compileSchema, mockEvent, mockEvents, createEventMocker, eventBridgeContext, cloudEventsContext,
  wrapEnvelope, envelopeContext, wrapSessionEvent, createCdcGenerator, ENVELOPE_KINDS,
} from '../core/index.js';

function withSeed<T extends GenerateOptions | BulkOptions>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object such as { seed: __ENV.SEED }`, 'options');
  }
  const copy = {} as T;
  for (const key of Object.keys(options) as Array<keyof T>) copy[key] = options[key];
  (copy as GenerateOptions).seed = resolveK6Seed(options.seed);
  return copy;
}

/**
 * One item of a type, as `jutsu.generate` in the library: for `event_stream`, session
 * `options.session` (default 0) of `options.partition` (default 0, not the VU).
 */
export function generate<T extends string>(type: T, options: GenerateOptions = {}): T extends TypeName ? TypeMap[T] : unknown {
  return jutsu.generate(type, withSeed(options));
}

/** `count` items of a type (items 0..count-1 of the partition), as `jutsu.bulk` in the library. */
export function bulk<T extends string>(type: T, options: BulkOptions): Array<T extends TypeName ? TypeMap[T] : unknown> {
  return jutsu.bulk(type, withSeed(options));
}

/** Names of the types `generate` and `bulk` serve. */
export function types(): string[] {
  return jutsu.types();
}
