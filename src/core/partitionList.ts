import { MockjutsuError } from './mockjutsuError.js';
import { normalizePartition, type PartitionKey } from './generatorOptions.js';

/** Most partitions one verification regenerates. */
export const MAX_PARTITIONS = 1_000_000;

/**
 * Parses a partition list: comma-separated keys, where `A-B` (digits on both sides) is the
 * inclusive range of numeric partitions A..B (k6 VU ids: `1-10`), and anything else is one
 * key as written (JMeter thread keys: `vu-1,vu-2`).
 *
 * @throws MockjutsuError (INVALID_OPTION) naming the bad item: empty, a descending range, too
 *   many partitions, a key listed twice.
 */
export function parsePartitions(text: string, flag = 'partitions'): string[] {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw new MockjutsuError('INVALID_OPTION', `${flag} is empty; allowed: keys separated by commas, numeric ranges such as 1-10 (e.g. "0-9", "1,2,5", "vu-1,vu-2")`, flag);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (key: string): void => {
    if (seen.has(key)) throw new MockjutsuError('INVALID_OPTION', `${flag}: partition ${JSON.stringify(key)} is listed twice`, flag);
    seen.add(key);
    out.push(key);
    if (out.length > MAX_PARTITIONS) throw new MockjutsuError('INVALID_OPTION', `${flag} lists more than ${MAX_PARTITIONS} partitions`, flag);
  };
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item.length === 0) throw new MockjutsuError('INVALID_OPTION', `${flag} ${JSON.stringify(text)} has an empty item; separate keys with single commas`, flag);
    const range = /^(\d{1,15})-(\d{1,15})$/.exec(item);
    if (range !== null) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to < from) throw new MockjutsuError('INVALID_OPTION', `${flag}: range ${item} goes down; write the smaller bound first (${to}-${from})`, flag);
      if (to - from + 1 > MAX_PARTITIONS) throw new MockjutsuError('INVALID_OPTION', `${flag}: range ${item} has ${to - from + 1} partitions; allowed: at most ${MAX_PARTITIONS}`, flag);
      for (let p = from; p <= to; p++) add(String(p));
    } else {
      add(normalizePartition(item, flag));
    }
  }
  return out;
}

/** Normalises a partition list given as keys (numbers or strings) or as text. */
export function resolvePartitions(partitions: string | readonly PartitionKey[], flag = 'partitions'): string[] {
  if (typeof partitions === 'string') return parsePartitions(partitions, flag);
  if (!Array.isArray(partitions) || partitions.length === 0) {
    throw new MockjutsuError('INVALID_OPTION', `${flag} must be a non-empty list of partition keys or a text such as "0-9"`, flag);
  }
  const keys = partitions.map((p, i) => normalizePartition(p, `${flag}[${i}]`));
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) throw new MockjutsuError('INVALID_OPTION', `${flag}: partition ${JSON.stringify(dup)} is listed twice`, flag);
  return keys;
}
