import { createGenerator, type SessionGenerator } from './sessionGenerator.js';
import { checkInteger, normalizePartition, type GeneratorOptions, type PartitionKey } from './generatorOptions.js';
import { getDataType, typeNames } from './dataTypes.js';
import { positionedItems } from './positionedItems.js';
import { envelopeItem } from './sessionEnvelope.js';
import { ENVELOPE_KINDS, type EnvelopeKind } from './schema/eventEnvelope.js';
import { MockjutsuError, describeValue } from './mockjutsuError.js';
import type { Session } from './sessionEvent.js';
import type { UserProfile } from './userPool.js';
import type { CdcEvent } from './schema/cdcEventStream.js';

/** Most items `bulk` and `template` build in memory; stream with `eventStream` beyond it. */
export const MAX_IN_MEMORY_COUNT = 1_000_000;

/** What each type name yields. */
export interface TypeMap {
  event_stream: Session;
  user: UserProfile;
  cdc_event: CdcEvent;
}
export type TypeName = keyof TypeMap;

/** Options of `generate`: generator options plus which session of which partition. */
export interface GenerateOptions extends GeneratorOptions {
  partition?: PartitionKey;
  /** Index of the item in the partition's sequence (default 0). */
  session?: number;
  /**
   * Wrap every event (every item of other types) in a standard envelope: "cloudevents" (the
   * event in `data`) or "eventbridge" (in `detail`); default "none". Then the result is the
   * enveloped JSON value, typed `unknown`.
   */
  envelope?: EnvelopeKind;
}

/** Options of `bulk` and `template`. */
export interface BulkOptions extends GeneratorOptions {
  /** Number of items, 1..1,000,000. */
  count: number;
  partition?: PartitionKey;
  /** As {@link GenerateOptions.envelope}. */
  envelope?: EnvelopeKind;
}

/** The items of a type, or `unknown` once they are enveloped. */
type Item<T extends string, O> = O extends { envelope: 'cloudevents' | 'eventbridge' } ? unknown : T extends TypeName ? TypeMap[T] : unknown;

function envelopeOf(options: { envelope?: unknown }): EnvelopeKind {
  const kind = options.envelope ?? 'none';
  if (!ENVELOPE_KINDS.includes(kind as EnvelopeKind)) {
    throw new MockjutsuError('INVALID_OPTION', `envelope is ${describeValue(kind)}; allowed: ${ENVELOPE_KINDS.join(', ')}`, 'envelope');
  }
  return kind as EnvelopeKind;
}

function generatorFor(options: GeneratorOptions & { count?: unknown; partition?: unknown; session?: unknown }): { g: SessionGenerator; partition: string } {
  const g = createGenerator(options);
  return { g, partition: normalizePartition(options.partition ?? 0) };
}

/** The checked options of `bulk` and `template`, and their one generator (one seed for every column). */
function bulkSetup(options: BulkOptions): { count: number; kind: EnvelopeKind; g: SessionGenerator; partition: string } {
  if (typeof options !== 'object' || options === null) throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected { count, seed?, ... }`, 'options');
  const count = checkInteger(options.count, 'count', 1, MAX_IN_MEMORY_COUNT, 'INVALID_COUNT');
  return { count, kind: envelopeOf(options), ...generatorFor(options) };
}

/** Items 0..count-1 of a partition (event streams get consecutive global positions), enveloped when asked. */
function items(typeName: string, s: ReturnType<typeof bulkSetup>): unknown[] {
  const type = getDataType(typeName);
  const list = [...positionedItems(type, s.g, s.partition, s.count)];
  return s.kind === 'none' ? list : list.map((item, i) => envelopeItem(type.name, item, s.kind, s.g, s.partition, i));
}

/**
 * The library facade, named after mock-jutsu's API so its users feel at home.
 * Every call is deterministic for a given `seed`; without one a random seed is used.
 */
export const jutsu = {
  /** One item of a type; for `event_stream`, one session (an array of events). */
  generate<T extends string, O extends GenerateOptions = GenerateOptions>(type: T, options: O = {} as O): Item<T, O> {
    const t = getDataType(type);
    const k = options.session === undefined ? 0 : checkInteger(options.session, 'session', 0, Number.MAX_SAFE_INTEGER);
    const kind = envelopeOf(options);
    const { g, partition } = generatorFor(options);
    return envelopeItem(t.name, t.item(g, partition, k, 1), kind, g, partition, k) as any;
  },

  /** `count` items of a type (items 0..count-1 of the partition). */
  bulk<T extends string, O extends BulkOptions = BulkOptions>(type: T, options: O): Array<Item<T, O>> {
    getDataType(type);
    return items(type, bulkSetup(options)) as any;
  },

  /** `count` records, each with one field per requested type (record i holds item i of each). */
  template(types: readonly string[], options: BulkOptions): Array<Record<string, unknown>> {
    if (!Array.isArray(types) || types.length === 0) {
      throw new MockjutsuError('INVALID_OPTION', `types is ${describeValue(types)}; expected a non-empty array of type names (known: ${typeNames().join(', ')})`, 'types');
    }
    const seen = new Set<string>();
    for (const t of types) {
      getDataType(t);
      if (seen.has(t)) throw new MockjutsuError('INVALID_OPTION', `types lists ${JSON.stringify(t)} twice; each type can appear once`, 'types');
      seen.add(t);
    }
    const setup = bulkSetup(options);
    const columns = types.map((t) => items(t, setup));
    const count = columns[0]!.length;
    const out: Array<Record<string, unknown>> = [];
    for (let i = 0; i < count; i++) {
      const record: Record<string, unknown> = {};
      types.forEach((t, c) => (record[t] = columns[c]![i]));
      out.push(record);
    }
    return out;
  },

  /** Names of the types served. */
  types(): string[] {
    return typeNames();
  },
};

