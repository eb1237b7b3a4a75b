// Text of events whose global positions are not known yet (`export --workers`): a worker writes
// every event with a mark in place of its global_position, finds the marks in the encoded
// bytes, and the writer, once it knows where the run starts, puts the digits in.

/**
 * The value a worker gives global_position before serializing. A small integer (a V8 Smi, as
 * the positions are: no change of field representation) whose text, 11 characters, is longer
 * than any position below 10^11 has, so the digits fit where the mark was. Every format writes a
 * number as String(n) does, so each event's text holds the mark at least once.
 */
export const POSITION_MARK = -1073741824;
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
  for (let at = bytes.indexOf(MARK_BYTES, 0); at !== -1 && at < length; at = bytes.indexOf(MARK_BYTES, at + MARK_LEN)) {
    if (n === events) return undefined;
    holes[n++] = at;
  }
  return n === events ? holes : undefined;
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
 * The run's bytes with the marks replaced by positions `first`, `first + 1`, ... (and the
 * first `skip` bytes left out). In place when the digits are no longer than the mark (below
 * 10^11), else into a new Buffer.
 */
export function fillPositions(bytes: Buffer, length: number, holes: Int32Array, first: number, skip = 0): Buffer {
  const grow = Math.max(0, digitCount(first + holes.length) - MARK_LEN) * holes.length;
  const out = grow === 0 ? bytes : Buffer.allocUnsafe(length + grow);
  let w = 0;
  let r = skip;
  for (let i = 0; i < holes.length; i++) {
    const h = holes[i]!;
    if (out !== bytes) bytes.copy(out, w, r, h);
    else if (w !== r) out.copyWithin(w, r, h);
    w += h - r;
    w = putDigits(out, w, first + i);
    r = h + MARK_LEN;
  }
  if (out !== bytes) bytes.copy(out, w, r, length);
  else if (w !== r) out.copyWithin(w, r, length);
  w += length - r;
  return out.subarray(0, w);
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
  const out = alloc(length + statements * (sql.insert.length + sql.end.length) + (holes === undefined ? 0 : n * Math.max(0, digitCount(first + n) - MARK_LEN)));
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
