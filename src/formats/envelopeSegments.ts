import type { EnvelopeColumn } from '../core/index.js';
import { ENVELOPE_CACHE_GROUP, FLATTEN_SOURCE } from '../core/domain/envelopeGroups.js';

/** A place in a row: a segment's variable (`G<i>`, one or more cached columns) or an uncached column. */
export type RowSlot = { segment: string } | { column: EnvelopeColumn };

/** Source pieces of a generated row writer: see {@link segmentedRow}. */
export interface SegmentedRow {
  /** Declarations before the writer function (the segments, their keys, and F). */
  state: string;
  /** Statements at the start of the writer: refresh each segment whose values changed. */
  refresh: string;
  /** The row's columns and segments, in column order. */
  slots: RowSlot[];
}

/**
 * A row writer's pieces (CSV, SQL VALUES) for the envelope's columns, the event in `e`: a column
 * of a stream's or a session's (ids, the aggregate) joins the adjacent ones of its group in one
 * segment `G<i>`, written again only when one of its values changed, so a session's events
 * mostly skip their quoting checks and concatenations. `literal(x)` is the expression of a
 * cached column's value `x`; `sep` joins a segment's columns. A segment is flattened once when
 * it is made (F): left a rope, every row that holds it would walk its pieces again when the
 * chunk is flattened for writing (that walk was 21% of a SQL row's instructions, by callgrind).
 * Each writer keeps its own segments; the text is the same either way.
 */
export function segmentedRow(envelope: readonly EnvelopeColumn[], sep: string, literal: (x: string) => string): SegmentedRow {
  const slots: RowSlot[] = [];
  const groups: Array<{ kind: string; names: string[] }> = [];
  let open: { kind: string; names: string[] } | undefined;
  for (const c of envelope) {
    const kind = ENVELOPE_CACHE_GROUP[c.field];
    if (kind === undefined) {
      open = undefined;
      slots.push({ column: c });
      continue;
    }
    if (open === undefined || open.kind !== kind) {
      open = { kind, names: [] };
      groups.push(open);
      slots.push({ segment: `G${groups.length - 1}` });
    }
    open.names.push(c.name);
  }
  let state = 'var NONE={};' + FLATTEN_SOURCE;
  let refresh = '';
  groups.forEach((g, gi) => {
    const vars = g.names.map((_, j) => `V${gi}_${j}`);
    state += `var G${gi}="";` + vars.map((v) => `var K${v}=NONE;`).join('');
    refresh += g.names.map((n, j) => `var ${vars[j]}=e[${JSON.stringify(n)}];`).join('');
    // The keys are set once the segment is made: a literal that throws (a BigInt) leaves them
    // as they were, so the next row makes the segment again instead of reusing a stale one.
    refresh += `if(${vars.map((v) => `${v}!==K${v}`).join('||')}){` +
      `G${gi}=F(${g.names.map((_, j) => literal(vars[j]!)).join(`+${JSON.stringify(sep)}+`)});${vars.map((v) => `K${v}=${v};`).join('')}}`;
  });
  return { state, refresh, slots };
}
