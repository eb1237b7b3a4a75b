import { normalizeSeed, type GeneratorOptions, type PartitionKey, type Seed } from '../core/index.js';
import { compareStreams } from './compareStreams.js';
import { eventFields, expectedStreams, trimToSentPrefix } from './expectedStreams.js';
import { resolveDomain } from '../core/domain/resolveDomain.js';
import { envelopeNames } from '../core/domain/envelopeAccess.js';
import { StoreReadError, toFoundRecord, type FoundRecord } from './foundRecord.js';
import { resolvePartitions } from '../core/index.js';
import { readStoreFile, readStoreUrl } from './storeReaders.js';
import type { VerifyReport } from './verifyReport.js';

/** Options of {@link verifyStreams}. */
export interface VerifyStreamsOptions {
  /** The seed the run used. */
  readonly seed: Seed;
  /** Partitions (k6 VU ids, JMeter thread keys): keys, or text such as `"1-10"` or `"vu-1,vu-2"`. */
  readonly partitions: string | readonly PartitionKey[];
  /** Sessions 0..sessions-1 of every partition were sent. */
  readonly sessions: number;
  /**
   * The store: an `http(s)://` URL of a sidecar started with `--store`, a JSONL file of its
   * store (or an NDJSON file of generated events), several of those (the shards of one run,
   * e.g. `export --partitions` files from several machines: their records are read in turn),
   * or records already read.
   */
  readonly against: string | URL | readonly (string | URL)[] | Iterable<FoundRecord | unknown>;
  /** The other generator options of the run (domain, users, start, model...); events are read under the domain's envelope names. */
  readonly generator?: Omit<GeneratorOptions, 'seed'>;
  /** Bearer token, for a URL. */
  readonly token?: string;
  /** Top-level event fields not compared; default the domain's name of `global_position`. */
  readonly ignoreFields?: readonly string[];
  /**
   * The run may have stopped part-way (a time-limited k6 test): per partition, events after the
   * last stored one count as not sent instead of lost. `sessions` is then an upper bound.
   */
  readonly allowIncomplete?: boolean;
}

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/**
 * Regenerates the run's streams from its seed and compares them with what the store holds.
 * The report's `ok` is false when any event is lost, duplicated, reordered, altered,
 * misplaced or unexpected.
 *
 * @throws MockjutsuError for bad options; StoreReadError when the store cannot be read.
 */
export async function verifyStreams(options: VerifyStreamsOptions): Promise<VerifyReport> {
  const seed = normalizeSeed(options.seed);
  const partitions = resolvePartitions(options.partitions);
  const domain = resolveDomain(options.generator?.domain, options.generator?.model);
  const fields = eventFields(domain);
  const position = envelopeNames(domain).global_position;
  let expected = expectedStreams({ generator: { ...options.generator, seed }, partitions, sessions: options.sessions });

  let records: FoundRecord[];
  let warnings: string[] = [];
  let against: string;
  const source = options.against;
  const sources = typeof source === 'string' || source instanceof URL ? [source]
    : Array.isArray(source) && source.length > 0 && source.every((s) => typeof s === 'string' || s instanceof URL) ? (source as ReadonlyArray<string | URL>)
      : undefined;
  if (sources !== undefined) {
    against = sources.map(String).join(', ');
    records = [];
    for (const one of sources.map(String)) {
      const read = isUrl(one) ? await readStoreUrl(one, { token: options.token, fields }) : await readStoreFile(one, { fields });
      for (const r of read.records) records.push(r);
      warnings.push(...read.warnings);
    }
  } else if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
    against = '(records given)';
    records = [...source].map((value, i) => toFoundRecord(value, `record ${i + 1}`, fields));
  } else {
    throw new StoreReadError('against must be a URL, a file path or an iterable of records');
  }
  if (options.allowIncomplete === true) {
    const stored = new Set<string>();
    for (const r of records) {
      const id = (r.data as Record<string, unknown> | null)?.[fields.eventId];
      if (typeof id === 'string') stored.add(id);
    }
    const { kept, notSent } = trimToSentPrefix(expected, stored, fields);
    expected = kept;
    if (notSent > 0) warnings = [...warnings, `${notSent} expected events come after the last stored event of their partition: counted as not sent (--allow-incomplete), not as lost`];
  }
  const report = compareStreams(expected, records, { ignoreFields: options.ignoreFields ?? (position === undefined ? [] : [position]), warnings, fields });
  const { ok, ...rest } = report;
  return { ok, run: { seed, ...(domain.name === 'shop' ? {} : { domain: domain.name }), partitions, sessions: options.sessions, against }, ...rest };
}
