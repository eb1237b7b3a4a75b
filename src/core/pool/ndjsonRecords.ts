import { MockjutsuError } from '../mockjutsuError.js';

/**
 * Items of NDJSON text (one JSON value per line; blank lines skipped). A line that is not JSON
 * throws an `INVALID_RECORD` error naming `source` and the line. Pure (k6 can run it on the
 * text of `open('./users.ndjson')`).
 */
export function parseNdjsonRecords<T = unknown>(text: string, source = 'NDJSON text'): T[] {
  const items: T[] = [];
  let line = 0;
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1; // a BOM from an editor
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    if (raw.length > 0) {
      try {
        items.push(JSON.parse(raw) as T);
      } catch (e) {
        const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(raw) ? ' (it looks binary: MessagePack records belong in a .msgpack file)' : '';
        throw new MockjutsuError('INVALID_RECORD', `${source}: line ${line} is not JSON${binary}: ${(e as Error).message}; expected one JSON value per line`, source);
      }
    }
    start = end + 1;
  }
  return items;
}
