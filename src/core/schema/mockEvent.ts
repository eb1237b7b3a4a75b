import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { sessionPrng } from '../prng.js';
import { checkInteger, normalizePartition, type PartitionKey } from '../generatorOptions.js';
import { DEFAULT_START_MS } from '../timeModel.js';
import { compileSchema, instantOption, PartitionBases, type CompileSchemaOptions, type SchemaGenerator } from './schemaGenerator.js';
import { ENVELOPE_KINDS, wrapEnvelope, type EnvelopeFields, type EnvelopeKind } from './eventEnvelope.js';
import type { EventContextFunction, MockEventContext } from './eventContexts.js';

/** Options of {@link mockEvent}, {@link mockEvents} and {@link createEventMocker}. */
export interface MockEventOptions extends CompileSchemaOptions {
  /** The schema document: object, JSON text, or an EventBridge registry export. */
  schema: unknown;
  /** Applied in order to each generated event. */
  contexts?: readonly EventContextFunction[];
  /** Wrap each event (after the contexts) in a standard envelope; default "none". */
  envelope?: EnvelopeKind;
  /** Fixed envelope fields (source, detailType, type, account, region...). */
  envelopeFields?: EnvelopeFields;
  /** The partition (k6 VU, JMeter thread...); default 0. */
  partition?: PartitionKey;
  /** `mockEvent`: which event of the partition (default 0); `mockEvents`: the first one. */
  index?: number;
  /** `mockEvents`: how many events (default: endless). */
  count?: number;
}

/** A compiled schema with its contexts and envelope: event k of partition p, for any k and p. */
export interface EventMocker {
  readonly generator: SchemaGenerator;
  /** Event `index` of `partition`; a pure function of (schema, options, seed, partition, index). */
  event(index: number, partition?: PartitionKey): unknown;
  /** Events `from`, `from + 1`, ... of a partition, lazily (endless without `count`). */
  events(partition?: PartitionKey, from?: number, count?: number): IterableIterator<unknown>;
}

const OWN = new Set(['schema', 'contexts', 'envelope', 'envelopeFields', 'partition', 'index', 'count']);

/** Compiles once; surfaces (CLI, sidecar, k6, JMeter) keep one mocker per schema. */
export function createEventMocker(options: MockEventOptions): EventMocker {
  if (typeof options !== 'object' || options === null) throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected { schema, ref?, ... }`, 'options');
  const compileOptions: Record<string, unknown> = {};
  for (const k of Object.keys(options)) if (!OWN.has(k)) compileOptions[k] = (options as unknown as Record<string, unknown>)[k];
  if (options.schema === undefined) throw new MockjutsuError('INVALID_OPTION', 'schema is missing; pass the document (object, JSON text, or an EventBridge export)', 'schema');
  const generator = compileSchema(options.schema, compileOptions as CompileSchemaOptions);
  const contexts = options.contexts ?? [];
  if (!Array.isArray(contexts) || contexts.some((c) => typeof c !== 'function')) throw new MockjutsuError('INVALID_OPTION', 'contexts must be an array of functions (event, ctx) => event | void', 'contexts');
  const envelope = options.envelope ?? 'none';
  if (!ENVELOPE_KINDS.includes(envelope)) throw new MockjutsuError('INVALID_OPTION', `envelope is ${describeValue(envelope)}; allowed: ${ENVELOPE_KINDS.join(', ')}`, 'envelope');
  const fields = options.envelopeFields ?? {};
  const startMs = options.start === undefined ? DEFAULT_START_MS : instantOption(options.start, 'start');
  const bases = new PartitionBases(generator.seed, 'context');
  const info = generator.info;

  const event = (index: number, partition: PartitionKey = 0): unknown => {
    checkInteger(index, 'index', 0, Number.MAX_SAFE_INTEGER);
    const p = normalizePartition(partition);
    let e = generator.value(index, p);
    if (contexts.length === 0 && envelope === 'none') return e;
    const prng = sessionPrng(bases.get(p), index);
    const ctx: MockEventContext = {
      seed: generator.seed,
      partition: p,
      index,
      prng,
      timeMs: startMs + index * 1000 + Math.floor(prng() * 1000),
      name: info.name,
      info,
      ...(info.eventSource !== undefined ? { eventSource: info.eventSource } : {}),
      ...(info.detailType !== undefined ? { detailType: info.detailType } : {}),
    };
    for (const c of contexts) {
      const out = c(e, ctx);
      if (out !== undefined) e = out;
    }
    return wrapEnvelope(e, envelope, ctx, fields);
  };
  function* events(partition: PartitionKey = 0, from = 0, count = Infinity): IterableIterator<unknown> {
    for (let k = from; k - from < count; k++) yield event(k, partition);
  }
  return { generator, event, events };
}

/** One mock event: event `index` (default 0) of `partition` for the schema, seed and contexts. */
export function mockEvent(options: MockEventOptions): unknown {
  return createEventMocker(options).event(options.index ?? 0, options.partition ?? 0);
}

/** Mock events, lazily: `count` of them (default endless) from `index` (default 0). */
export function mockEvents(options: MockEventOptions): IterableIterator<unknown> {
  const m = createEventMocker(options);
  const count = options.count === undefined ? Infinity : checkInteger(options.count, 'count', 0, Number.MAX_SAFE_INTEGER, 'INVALID_COUNT');
  return m.events(options.partition ?? 0, options.index ?? 0, count);
}
