// Writes runs of sessions before their global positions are known (`export --workers`): each
// event's text with a mark in place of its global_position, encoded at once into a Buffer. Used
// by the worker threads and by the writing thread when it has nothing to write.
import { createGenerator, type GeneratorOptions, type Session } from '../core/index.js';
import { createSessionExportWriter, type SessionExportOptions, type SessionExportState } from '../formats/index.js';
import { POSITION_MARK, POSITION_MARK_CHARS, findMarks } from './positionHoles.js';

/** A run written with marks (see FromWorker 'staged'); `bytes` is a Buffer of its own. */
export interface StagedRun {
  events: number;
  bytes: Buffer;
  length: number;
  holes?: Int32Array;
  rowEnds?: Int32Array;
  rowChars?: Int32Array;
}

/** A run whose text holds the mark's text elsewhere too: written once its positions are known. */
export interface DeferredRun {
  events: number;
  rowChars?: Int32Array;
  sessions: Session[];
}

export interface RunStager {
  stage(partition: string, from: number, to: number): StagedRun | DeferredRun;
  /** The text of a deferred run, its first event at `firstPosition`, the writer in `state`. */
  write(run: DeferredRun, firstPosition: number, state: SessionExportState): string;
  /** A Buffer that was handed out and is written: fill it again. */
  recycle(buffer: ArrayBuffer): void;
}

const PIECE_CHARS = 64 * 1024;
const SPARE_BUFFERS = 8;

/** Generator options as they cross to a worker (a model is its JSON definition already). */
export type StagerOptions = GeneratorOptions;

export function createRunStager(options: StagerOptions, format: SessionExportOptions): RunStager {
  const generator = createGenerator(options);
  const domain = generator.config.domain;
  const writer = createSessionExportWriter({ ...format, domain });
  const position = domain.envelope.find((c) => c.field === 'global_position')?.name;
  const markChars = position === undefined ? 0 : POSITION_MARK_CHARS;

  // A run's text is encoded piece by piece (~64 KB: a rope that size flattens in cache; V8 has no
  // fast UTF-8 length of a rope, Buffer.byteLength of a whole run's rope cost 11% of a worker)
  // into `scratch`, then copied into a Buffer handed out. Those come back once written
  // (`recycle`): a fresh Buffer of this size is fresh pages, a page fault each (~200 us a run).
  let scratch = Buffer.allocUnsafeSlow(1 << 20);
  let used = 0;
  const spare: ArrayBuffer[] = [];

  const put = (text: string): void => {
    if (scratch.length - used < text.length * 3) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, used + text.length * 3));
      scratch.copy(bigger, 0, 0, used);
      scratch = bigger;
    }
    used += scratch.write(text, used, 'utf8');
  };

  const take = (): { bytes: Buffer; length: number } => {
    const length = used;
    used = 0;
    const i = spare.findIndex((b) => b.byteLength >= length);
    // Its own memory (not a slice of Buffer's shared pool), so it can be transferred.
    const bytes = i !== -1 ? Buffer.from(spare.splice(i, 1)[0]!) : Buffer.allocUnsafeSlow(Math.max(64 * 1024, Math.ceil(length * 1.25)));
    scratch.copy(bytes, 0, 0, length);
    return { bytes, length };
  };

  /** Text grown past a piece goes to the scratch Buffer; what is left to grow is returned. */
  const flush = (text: string): string => {
    if (text.length < PIECE_CHARS) return text;
    put(text);
    return '';
  };

  /**
   * The staged run's Buffer and the places of its marks; undefined (the Buffer kept for reuse)
   * when a payload held the mark's own text, so the run must be written the slow way.
   */
  const finish = (text: string, events: number): { bytes: Buffer; length: number; holes: Int32Array | undefined } | undefined => {
    put(text);
    const { bytes, length } = take();
    const holes = position === undefined ? undefined : findMarks(bytes, length, events);
    if (position !== undefined && holes === undefined) {
      spare.push(bytes.buffer as ArrayBuffer);
      return undefined;
    }
    return { bytes, length, holes };
  };

  return {
    stage(partition, from, to) {
      const sessions: Session[] = [];
      let events = 0;
      for (let k = from; k < to; k++) {
        const s = generator.session(partition, k, 1);
        if (position !== undefined) for (let i = 0; i < s.length; i++) (s[i] as unknown as Record<string, unknown>)[position] = POSITION_MARK;
        events += s.length;
        sessions.push(s);
      }
      let text = '';
      const sql = writer.sql;
      if (sql !== undefined) {
        // Every row after ",\n"; the writer puts the INSERT statements' ends and starts in.
        const rows: string[] = [];
        const rowChars = new Int32Array(events);
        let chars = 0;
        for (const s of sessions) {
          for (let i = 0; i < s.length; i++) {
            const row = sql.row(s[i]!);
            rowChars[rows.length] = row.length - markChars;
            rows.push(row);
            chars += 2 + row.length;
            text += ',\n' + row;
          }
          text = flush(text);
        }
        const staged = finish(text, events);
        if (staged === undefined) return { events, rowChars, sessions };
        // Byte offsets of the row ends: the characters' when the text is ASCII.
        const rowEnds = new Int32Array(events);
        let end = 0;
        for (let i = 0; i < rows.length; i++) rowEnds[i] = end += 2 + (staged.length === chars ? rows[i]!.length : Buffer.byteLength(rows[i]!, 'utf8'));
        return { events, ...staged, rowEnds, rowChars };
      }
      // json: every session after a separator, as if one had been written before.
      writer.state = { written: true, sql: { rows: 0, chars: 0 } };
      for (const s of sessions) text = flush(writer.append(text, s));
      const staged = finish(text, events);
      return staged === undefined ? { events, sessions } : { events, ...staged };
    },

    write(run, firstPosition, state) {
      let p = firstPosition;
      let text = '';
      writer.state = state;
      for (const s of run.sessions) {
        if (position !== undefined) for (const e of s) (e as unknown as Record<string, unknown>)[position] = p++;
        text = writer.append(text, s);
      }
      return text;
    },

    recycle(buffer) {
      if (spare.length < SPARE_BUFFERS) spare.push(buffer);
    },
  };
}

/** Whether a stage() result was deferred. */
export function isDeferred(run: StagedRun | DeferredRun): run is DeferredRun {
  return (run as DeferredRun).sessions !== undefined;
}
