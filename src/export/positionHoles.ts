// Text of events whose global positions are not known yet (`export --workers`): a worker writes
// every event with a mark in place of its global_position, finds the marks in the encoded
// bytes, and the writer, once it knows where the run starts, puts the digits in.

/**
 * The value a worker gives global_position before serializing. Every format writes a number as
 * String(n) does, so each event's text holds "-1.0000000001e+300" at least once: 18 characters,
 * more than any position below 2^53 has (16), so the digits always fit where the mark was, and a
 * '+' that text rarely has, so the marks are found by memchr (searching the whole mark cost 6% of
 * a worker's CPU, the '+' 1.5%, measured with --cpu-prof). The double in a field of small
 * integers cost nothing measurable in the simulator or the serializer.
 */
export const POSITION_MARK = -1.0000000001e300;
export const POSITION_MARK_TEXT = String(POSITION_MARK);
const MARK_BYTES = Buffer.from(POSITION_MARK_TEXT, 'latin1');
const MARK_LEN = MARK_BYTES.length;

/**
 * Byte offsets of the marks in `bytes[0, length)`, one per event, or undefined when there are
 * not exactly `events` of them (a payload that holds the mark's text itself: the caller then
 * writes that run the slow way). Each event's text holds its own mark, so `events` marks in all
 * means one per event, in order.
 */
export function findMarks(bytes: Buffer, length: number, events: number): Int32Array | undefined {
  const holes = new Int32Array(events);
  let n = 0;
  // memchr for the mark's '+' (rare in text), then the rest of the mark around it.
  for (let at = bytes.indexOf(PLUS, MARK_PLUS); at !== -1 && at < length; at = bytes.indexOf(PLUS, at + 1)) {
    const start = at - MARK_PLUS;
    if (start + MARK_LEN > length || !isMark(bytes, start)) continue;
    if (n === events) return undefined;
    holes[n++] = start;
  }
  return n === events ? holes : undefined;
}

const PLUS = 0x2b;
const MARK_PLUS = POSITION_MARK_TEXT.indexOf('+');
function isMark(bytes: Buffer, start: number): boolean {
  for (let i = 0; i < MARK_LEN; i++) if (bytes[start + i] !== MARK_BYTES[i]) return false;
  return true;
}

const digitCount = (n: number): number => {
  let d = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
  return d;
};

/** Writes the decimal digits of the non-negative integer `n` at `at`; returns the offset after them. */
function putDigits(out: Uint8Array, at: number, n: number): number {
  const end = at + digitCount(n);
  for (let i = end - 1, x = n; i >= at; i--) {
    const q = Math.floor(x / 10);
    out[i] = 48 + (x - q * 10);
    x = q;
  }
  return end;
}

/**
 * The run's bytes with the marks replaced by positions `first`, `first + 1`, ... (and the first
 * `skip` bytes left out), in place: digits are never longer than the mark.
 */
export function fillPositions(bytes: Buffer, length: number, holes: Int32Array, first: number, skip = 0): Buffer {
  if (!Number.isSafeInteger(first + (holes.length - 1)) || first < 0) throw new RangeError(`global positions ${first}..${first + (holes.length - 1)} are not safe integers`);
  let w = 0;
  let r = skip;
  for (let i = 0; i < holes.length; i++) {
    const h = holes[i]!;
    if (w !== r) bytes.copyWithin(w, r, h);
    w += h - r;
    w = putDigits(bytes, w, first + i);
    r = h + MARK_LEN;
  }
  if (w !== r) bytes.copyWithin(w, r, length);
  w += length - r;
  return bytes.subarray(0, w);
}

/** Characters of the position `n` (the SQL script counts characters). */
export function positionChars(n: number): number {
  return digitCount(n);
}

/** The length of the mark's text. */
export const POSITION_MARK_CHARS = MARK_LEN;

/** What {@link assembleSqlRun} needs of the SQL writer. */
export interface SqlAssembly {
  insert: Buffer;
  end: Buffer;
  step(state: { rows: number; chars: number }, rowChars: number): boolean;
}

/**
 * A run of SQL rows as the script has them, from a worker's text `,\n row0 ,\n row1 ...` (row i
 * ending at byte `rowEnds[i]`, `rowChars[i]` characters without its position's): rows join by
 * `,\n` inside a statement; where `state` (moved past the rows here) opens a statement the
 * INSERT replaces the `,\n`, and where a row ends one, the end follows it. `holes`: the marks,
 * or undefined when the table has no global_position column.
 */
export function assembleSqlRun(
  bytes: Buffer, length: number, holes: Int32Array | undefined, rowEnds: Int32Array, rowChars: Int32Array,
  first: number, state: { rows: number; chars: number }, sql: SqlAssembly, alloc: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  const n = rowEnds.length;
  const chars = (i: number): number => rowChars[i]! + (holes === undefined ? 0 : digitCount(first + i));
  const probe = { ...state };
  let statements = 0;
  for (let i = 0; i < n; i++) {
    if (probe.rows === 0) statements++;
    sql.step(probe, chars(i));
  }
  const out = alloc(length + statements * (sql.insert.length + sql.end.length));
  let w = 0;
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (state.rows === 0) {
      const rowStart = (i === 0 ? 0 : rowEnds[i - 1]!) + 2;
      if (r < rowStart - 2) w += bytes.copy(out, w, r, rowStart - 2);
      w += sql.insert.copy(out, w);
      r = rowStart;
    }
    const ends = sql.step(state, chars(i));
    if (holes !== undefined) {
      const h = holes[i]!;
      w += bytes.copy(out, w, r, h);
      w = putDigits(out, w, first + i);
      r = h + MARK_LEN;
    }
    if (ends) {
      w += bytes.copy(out, w, r, rowEnds[i]!);
      w += sql.end.copy(out, w);
      r = rowEnds[i]!;
    }
  }
  if (r < length) w += bytes.copy(out, w, r, length);
  return out.subarray(0, w);
}
