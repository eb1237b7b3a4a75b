import { resolveDomain, serializerFor, sessionSerializerFor, type DomainInput, type Session } from '../core/index.js';
import { csvRow, eventCsvColumns, eventCsvRowWriter } from './csvSerializer.js';
import { eventSqlScript, type SqlDialect, type SqlStatementState } from './sqlSerializer.js';

/** Formats a session export writes. */
export type SessionExportFormat = 'json' | 'ndjson' | 'csv' | 'sql';
export const SESSION_EXPORT_FORMATS: readonly SessionExportFormat[] = ['json', 'ndjson', 'csv', 'sql'];

/** Options of {@link createSessionExportWriter}. */
export interface SessionExportOptions {
  format: SessionExportFormat;
  /** json: indent by two spaces (JSON.stringify(sessions, null, 2)). */
  pretty?: boolean;
  /** sql */
  dialect?: SqlDialect;
  table?: string;
  /**
   * The sessions' domain (default the shop): its compiled serializer writes json and ndjson, its
   * envelope gives the csv and sql columns. Pass the generator's (`generator.config.domain`).
   */
  domain?: DomainInput;
}

/**
 * Where an export stands between two sessions: whether a session was written yet (json) and
 * the open INSERT statement (sql). Plain data, so it crosses to a worker thread.
 */
export interface SessionExportState {
  written: boolean;
  sql: SqlStatementState;
}

/**
 * Writes a session export (json, ndjson, csv or sql) session by session. Its state can be read
 * and set, so workers writing consecutive runs of sessions of one export produce exactly the
 * bytes one writer would: the CLI's `--workers` and its single-thread path share this code.
 */
export interface SessionExportWriter {
  readonly format: SessionExportFormat;
  /** Text before the first session ('[', the CSV header, the SQL preamble). */
  readonly head: string;
  state: SessionExportState;
  /** `chunk` with the session's text added. */
  append(chunk: string, session: Session): string;
  /** Text after the last session. */
  tail(): string;
  /**
   * SQL only: the parts a parallel writer assembles the script from once it knows where a run
   * starts: each event's VALUES tuple, the text that opens and ends an INSERT statement, and
   * `step`, which moves a state past a row of so many characters (true: the row ends its
   * statement). `append` is `(opens ? insert : ',\n') + row + (ends ? end : '')` row by row.
   */
  readonly sql?: SqlRunParts;
}

/** See {@link SessionExportWriter.sql}. */
export interface SqlRunParts {
  row(event: object): string;
  readonly insert: string;
  readonly end: string;
  step(state: SqlStatementState, rowChars: number): boolean;
}

/** A fresh export state: nothing written, no statement open. */
export function initialExportState(): SessionExportState {
  return { written: false, sql: { rows: 0, chars: 0 } };
}


/** The writer of one session export; see {@link SessionExportWriter}. */
export function createSessionExportWriter(options: SessionExportOptions): SessionExportWriter {
  const state = initialExportState();
  const domain = resolveDomain(options.domain ?? 'shop');
  switch (options.format) {
    case 'ndjson': {
      const serialize = serializerFor(domain);
      const append = (chunk: string, session: Session): string => {
        for (let i = 0; i < session.length; i++) chunk += serialize(session[i]!) + '\n';
        return chunk;
      };
      return { format: 'ndjson', head: '', state, append, tail: () => '' };
    }
    case 'csv': {
      const row = eventCsvRowWriter(domain);
      const append = (chunk: string, session: Session): string => {
        for (let i = 0; i < session.length; i++) chunk += row(session[i]!);
        return chunk;
      };
      return { format: 'csv', head: csvRow(eventCsvColumns(domain)), state, append, tail: () => '' };
    }
    case 'json': {
      const pretty = options.pretty === true;
      const serializeSession = sessionSerializerFor(domain);
      const writer: SessionExportWriter = {
        format: 'json',
        head: '[',
        state,
        append(chunk, session) {
          const sep = writer.state.written ? (pretty ? ',\n  ' : ',') : pretty ? '\n  ' : '';
          writer.state.written = true;
          // JSON text has no raw newlines inside strings, so indenting every line is safe.
          return chunk + sep + (pretty ? JSON.stringify(session, null, 2).replace(/\n/g, '\n  ') : serializeSession(session));
        },
        tail: () => (pretty && writer.state.written ? '\n]\n' : ']\n'),
      };
      return writer;
    }
    case 'sql': {
      const script = eventSqlScript({ dialect: options.dialect, table: options.table, domain });
      const writer: SessionExportWriter = {
        format: 'sql',
        head: script.head,
        state,
        append(chunk, session) {
          script.state = writer.state.sql;
          for (let i = 0; i < session.length; i++) chunk = script.append(chunk, session[i]!);
          writer.state.written = true;
          return chunk;
        },
        tail() {
          script.state = writer.state.sql;
          return script.tail();
        },
        sql: {
          row: (e) => script.row(e),
          insert: script.insert,
          end: script.end,
          step: (st, rowChars) => script.step(st, rowChars),
        },
      };
      return writer;
    }
  }
}
