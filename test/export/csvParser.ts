// A strict RFC 4180 reader for the tests: CRLF record ends, quoted fields with doubled
// quotes; anything else (bare LF, stray quote) is an error, so sloppy output cannot pass.

/** A parsed field: its text, and whether it was quoted (an empty unquoted field is NULL). */
export interface CsvField { value: string; quoted: boolean; }

export function parseCsv(text: string): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`stray quote at ${i}`);
        value += text[i++];
      }
    }
    record.push({ value, quoted });
    if (text[i] === ',') {
      i++;
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`expected "," or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`);
    }
  }
  if (record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
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
