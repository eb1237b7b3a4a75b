// The tests read CSV with csv-parse, an independent RFC 4180 reader (not our own code checking
// itself): strict quoting, CRLF record ends only, every record the same width.
import { parse } from 'csv-parse/sync';

/** A parsed field: its text, and whether it was quoted (an empty unquoted field is NULL). */
export interface CsvField { value: string; quoted: boolean; }

/** Every record of `text` (which must end with CRLF), fields with their quoting. */
export function parseCsv(text: string): CsvField[][] {
  if (text.length > 0 && !text.endsWith('\r\n')) throw new Error('last record not terminated by CRLF');
  return parse(text, {
    record_delimiter: '\r\n',
    relax_quotes: false,
    relax_column_count: true,
    cast: (value: string, context: { quoting: boolean; lines: number }) => {
      if (!context.quoting && /[\r\n"]/.test(value)) throw new Error(`unquoted field holds CR, LF or a quote on line ${context.lines}: ${JSON.stringify(value)}`);
      return { value, quoted: context.quoting };
    },
  }) as CsvField[][];
}

/** Records as objects keyed by the header row; NULL (empty unquoted) fields become null. */
export function csvObjects(text: string): Array<Record<string, string | null>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header row');
  return rows.map((r) => {
    if (r.length !== header.length) throw new Error(`record has ${r.length} fields, header ${header.length}`);
    const o: Record<string, string | null> = {};
    header.forEach((h, i) => (o[h.value] = r[i]!.value === '' && !r[i]!.quoted ? null : r[i]!.value));
    return o;
  });
}
