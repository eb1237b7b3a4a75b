import type { EnvelopeColumn } from '../core/index.js';
import { ENVELOPE_CACHE_GROUP } from '../core/domain/envelopeGroups.js';

/** Source pieces of a generated row writer: see {@link segmentedRow}. */
export interface SegmentedRow {
  /** Declarations before the writer function (the segments and their keys). */
  state: string;
  /** Statements at the start of the writer: refresh each segment whose values changed. */
  refresh: string;
  /** One expression per column or segment, in column order (join them with the separator). */
  parts: string[];
}

/**
 * A row writer's pieces (CSV, SQL VALUES) for the envelope's columns, the event in `e`: a column
 * of a stream's or a session's (ids, the aggregate) joins the adjacent ones of its group in one
 * segment `G<i>`, written again only when one of its values (or `extraKey`, e.g. the SQL
 * dialect) changed, so a session's events mostly skip their quoting checks and concatenations.
 * `field(name, field)` is the expression of an uncached column, `literal(x)` of a cached
 * column's value `x`. Each writer keeps its own segments; the text is the same either way.
 */
export function segmentedRow(
  envelope: readonly EnvelopeColumn[], sep: string, field: (name: string, field: string) => string, literal: (x: string) => string, extraKey?: string,
): SegmentedRow {
  const parts: string[] = [];
  const groups: Array<{ kind: string; names: string[] }> = [];
  let open: { kind: string; names: string[] } | undefined;
  for (const c of envelope) {
    const kind = ENVELOPE_CACHE_GROUP[c.field];
    if (kind === undefined) {
      open = undefined;
      parts.push(field(c.name, c.field));
      continue;
    }
    if (open === undefined || open.kind !== kind) {
      open = { kind, names: [] };
      groups.push(open);
      parts.push(`G${groups.length - 1}`);
    }
    open.names.push(c.name);
  }
  let state = 'var NONE={};';
  let refresh = '';
  groups.forEach((g, gi) => {
    const vars = g.names.map((_, j) => `V${gi}_${j}`);
    if (extraKey !== undefined) vars.push(`X${gi}`);
    state += `var G${gi}="";` + vars.map((v) => `var K${v}=NONE;`).join('');
    refresh += g.names.map((n, j) => `var ${vars[j]}=e[${JSON.stringify(n)}];`).join('') + (extraKey !== undefined ? `var X${gi}=${extraKey};` : '');
    refresh += `if(${vars.map((v) => `${v}!==K${v}`).join('||')}){${vars.map((v) => `K${v}=${v};`).join('')}` +
      `G${gi}=${g.names.map((_, j) => literal(vars[j]!)).join(`+${JSON.stringify(sep)}+`)};}`;
  });
  return { state, refresh, parts };
}
