import {
  DEFAULT_CHUNK_CHARS, MockjutsuError, checkInteger, describeValue, resolveDomain, textChunks,
  type CompiledDomain, type DomainInput, type EnvelopeColumn, type EnvelopeField, type UserProfile,
} from '../core/index.js';
import { ENVELOPE_NUMBER_FIELDS } from '../core/domain/envelopeGroups.js';
import { segmentedRow } from './envelopeSegments.js';

/** SQL dialects the exporter writes. */
export type SqlDialect = 'postgres' | 'sqlite' | 'mysql';

/** Every dialect, default first. */
export const SQL_DIALECTS: readonly SqlDialect[] = ['postgres', 'sqlite', 'mysql'];

/** Rows per multi-row INSERT unless told otherwise. */
export const DEFAULT_SQL_BATCH_ROWS = 500;

// A statement is also ended once it reaches this size, far below MySQL's default
// max_allowed_packet (16 MiB) and SQLite's SQLITE_MAX_SQL_LENGTH (1 GB).
const MAX_STATEMENT_CHARS = 1_000_000;

/** Options of the SQL writers. */
export interface SqlOptions {
  /** Events only: the events' domain (its envelope gives the columns); default the shop. */
  domain?: DomainInput;
  /** Default "postgres". */
  dialect?: SqlDialect;
  /** Table name, optionally schema-qualified (`schema.table`); default "events" / "users". */
  table?: string;
  /** Rows per INSERT statement, 1..10,000 (default 500). */
  batchRows?: number;
  /** Approximate characters per chunk; default 64 Ki. */
  chunkChars?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Validates a dialect name; throws INVALID_OPTION naming the allowed ones. */
export function checkSqlDialect(dialect: unknown): SqlDialect {
  if (typeof dialect === 'string' && (SQL_DIALECTS as readonly string[]).includes(dialect)) return dialect as SqlDialect;
  throw new MockjutsuError('INVALID_OPTION', `dialect is ${describeValue(dialect)}; allowed: ${SQL_DIALECTS.join(', ')}`, 'dialect');
}

/**
 * Validates a table name (`table` or `schema.table`, each part 1-63 letters, digits or `_`,
 * not starting with a digit) and returns its parts. Names are always quoted in the output, so
 * reserved words are fine and case is kept.
 */
export function checkTableName(table: unknown): string[] {
  const parts = typeof table === 'string' ? table.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw new MockjutsuError('INVALID_OPTION', `table is ${describeValue(table)}; allowed: a name of 1-63 letters, digits and "_" not starting with a digit, optionally schema-qualified as schema.table`, 'table');
  }
  return parts;
}

/** A (possibly qualified) identifier quoted for `dialect`: "x" for PostgreSQL and SQLite, `x` for MySQL. */
export function quoteIdentifier(name: string, dialect: SqlDialect): string {
  return name.split('.').map((p) => (dialect === 'mysql' ? '`' + p.replace(/`/g, '``') + '`' : '"' + p.replace(/"/g, '""') + '"')).join('.');
}

const SINGLE_QUOTE = /'/g;
// MySQL treats backslash as an escape character (unless NO_BACKSLASH_ESCAPES, which the
// script switches off): escape it and the characters mysqldump escapes.
const MYSQL_SPECIAL = /[\0\n\r\x1a'\\]/g;
const HAS_MYSQL_SPECIAL = /[\0\n\r\x1a'\\]/;
const MYSQL_ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "''", '\\': '\\\\' };

// The sqlite3 shell drops a CR before each LF of its input, even inside a literal, and stops
// a string at NUL: such characters are spliced in with char() instead.
const SQLITE_SPLICED = /[\r\0]/g;
const HAS_SQLITE_SPLICED = /[\r\0]/;
const HAS_SQLITE_SPLICED_OR_QUOTE = /['\r\0]/;

/**
 * A string literal for `dialect`. PostgreSQL (standard_conforming_strings on, set by the
 * script) and SQLite only double the single quote; MySQL also escapes backslashes. (ESCAPED
 * below says which strings this leaves as they are: keep the two in step.)
 */
export function sqlString(value: string, dialect: SqlDialect): string {
  if (dialect === 'mysql') {
    return HAS_MYSQL_SPECIAL.test(value) ? "'" + value.replace(MYSQL_SPECIAL, (c) => MYSQL_ESCAPES[c]!) + "'" : "'" + value + "'";
  }
  const quoted = value.includes("'") ? "'" + value.replace(SINGLE_QUOTE, "''") + "'" : "'" + value + "'";
  if (dialect === 'sqlite' && HAS_SQLITE_SPLICED.test(quoted)) {
    return '(' + quoted.replace(SQLITE_SPLICED, (c) => "' || char(" + c.charCodeAt(0) + ") || '") + ')';
  }
  return quoted;
}

/** A column of an exported table: its name and its type in each dialect. */
interface SqlColumn {
  name: string;
  type: Record<SqlDialect, string>;
}

/** How one item type maps to a table. */
interface SqlTable<T> {
  defaultName: string;
  columns: SqlColumn[];
  /** Undefined when the domain drops event_id. */
  primaryKey: string | undefined;
  unique: string[][];
  /** Skip rows whose primary key is already there (user profiles repeat once the pool is exhausted). */
  ignoreDuplicates: boolean;
  /** A writer of `(v1,v2,...)` for one item, in the dialect. */
  values(dialect: SqlDialect): (item: T) => string;
}

const t = (postgres: string, sqlite: string, mysql: string): Record<SqlDialect, string> => ({ postgres, sqlite, mysql });
const UUID = t('uuid NOT NULL', 'TEXT NOT NULL', 'CHAR(36) NOT NULL');
const TEXT = t('text NOT NULL', 'TEXT NOT NULL', 'VARCHAR(255) NOT NULL');
const INT = t('integer NOT NULL', 'INTEGER NOT NULL', 'INT NOT NULL');

function nullable(s: string | null, dialect: SqlDialect): string {
  return s === null ? 'NULL' : sqlString(s, dialect);
}

/** Event timestamps for MySQL's DATETIME(3), which takes neither the "T" nor the "Z" (values are UTC). */
function timestampLiteral(iso: string, dialect: SqlDialect): string {
  if (dialect === 'mysql') {
    const m = /^(\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)Z$/.exec(iso);
    if (m !== null) return "'" + m[1] + ' ' + m[2] + "'";
  }
  return sqlString(iso, dialect);
}

/** The type of each contract field's column, by dialect. */
const EVENT_COLUMN_TYPES: Record<EnvelopeField, Record<SqlDialect, string>> = {
  event_id: UUID,
  event_type: t('text NOT NULL', 'TEXT NOT NULL', 'VARCHAR(64) NOT NULL'),
  stream_id: TEXT,
  aggregate_type: t('text NOT NULL', 'TEXT NOT NULL', 'VARCHAR(64) NOT NULL'),
  aggregate_id: TEXT,
  stream_version: INT,
  global_position: t('bigint NOT NULL', 'INTEGER NOT NULL', 'BIGINT NOT NULL'),
  correlation_id: UUID,
  causation_id: t('uuid', 'TEXT', 'CHAR(36)'),
  session_id: UUID,
  // A domain's user ids come from its user records; only generated users have UUIDs.
  user_id: UUID,
  timestamp: t('timestamptz NOT NULL', 'TEXT NOT NULL', 'DATETIME(3) NOT NULL'),
  schema_version: INT,
  payload: t('jsonb NOT NULL', 'TEXT NOT NULL', 'JSON NOT NULL'),
};

/** A literal of any value: NULL, a number, or a string literal. */
function anyLiteral(v: unknown, d: SqlDialect): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  return sqlString(typeof v === 'string' ? v : JSON.stringify(v), d);
}

/** A timestamp column's literal (see timestampLiteral); other values as {@link anyLiteral}. */
function timestampValue(v: unknown, d: SqlDialect): string {
  return typeof v === 'string' ? timestampLiteral(v, d) : anyLiteral(v, d);
}

/**
 * What a string must not hold for its literal to be `'` + it + `'` in each dialect: the
 * characters {@link sqlString} escapes or splices. PostgreSQL's one character is looked for
 * with indexOf instead.
 */
const ESCAPED: Record<SqlDialect, RegExp | string> = { postgres: "'", sqlite: HAS_SQLITE_SPLICED_OR_QUOTE, mysql: HAS_MYSQL_SPECIAL };

/**
 * Source of an event table's row writer for one dialect: `(e) => "(v1,v2,...)"`, as
 * `"(" + literals joined by "," + ")"` of {@link sqlString} and {@link anyLiteral}, the numbers
 * of the number fields written as they are, NULL for a null causation_id, the payload as its
 * JSON text. Rows whose strings need no escape and whose numbers are finite numbers (every
 * row of the shop's and the bank's generated events, most of the others') take a path of fewer
 * concatenations: each quote joins the separator next to it, and the numbers with their
 * separators are concatenated apart, where V8 copies short strings flat instead of adding rope
 * nodes that the chunk's flattening walks again (0.84x the instructions of a row and its share
 * of the write, by callgrind). The other rows take the general path. Each column is read once.
 */
function eventRowSource(envelope: readonly EnvelopeColumn[], dialect: SqlDialect): string {
  const escaped = ESCAPED[dialect];
  const plain = typeof escaped === 'string' ? (x: string) => `${x}.indexOf(${JSON.stringify(escaped)})<0` : (x: string) => `!P.test(${x})`;
  const literal = (x: string): string => `(typeof ${x}==="string"?S(${x},d):N(${x},d))`;
  const row = segmentedRow(envelope, ',', literal);
  const reads: string[] = [];
  const conditions: string[] = [];
  // The fast path's text: constants (c) and expressions (x); short: a number.
  const fast: Array<{ c: string } | { x: string; short?: true }> = [{ c: '(' }];
  const general: string[] = [];
  const quoted = (v: string) => {
    conditions.push(`typeof ${v}==="string"&&${plain(v)}`);
    fast.push({ c: "'" }, { x: v }, { c: "'" });
  };
  row.slots.forEach((slot, i) => {
    if (i > 0) fast.push({ c: ',' });
    if ('segment' in slot) {
      fast.push({ x: slot.segment });
      general.push(slot.segment);
      return;
    }
    const v = `v${i}`;
    const field = slot.column.field;
    reads.push(`var ${v}=e[${JSON.stringify(slot.column.name)}];`);
    if (ENVELOPE_NUMBER_FIELDS.has(field)) {
      // NaN and Infinity are no SQL: NULL, as anyLiteral writes them.
      conditions.push(`typeof ${v}==="number"&&${v}-${v}===0`);
      fast.push({ x: v, short: true });
      general.push(`(typeof ${v}==="number"&&${v}-${v}===0?""+${v}:N(${v},d))`);
    } else if (field === 'causation_id') {
      conditions.push(`(${v}===null||typeof ${v}==="string"&&${plain(v)})`);
      fast.push({ x: `(${v}===null?"NULL":"'"+${v}+"'")` });
      general.push(`N(${v},d)`);
    } else if (field === 'timestamp') {
      // MySQL's DATETIME literal is rewritten (no T, no Z): T makes it.
      if (dialect === 'mysql') fast.push({ x: `T(${v},d)` });
      else quoted(v);
      general.push(`T(${v},d)`);
    } else if (field === 'payload') {
      reads.push(`var p${i}=J(${v});`);
      quoted(`p${i}`);
      general.push(`N(p${i},d)`);
    } else {
      quoted(v);
      general.push(literal(v));
    }
  });
  fast.push({ c: ')' });
  // Adjacent constants are one; a run of numbers and constants is added up on its own.
  const terms: string[] = [];
  let run: string[] = [];
  let runHasNumber = false;
  let constant = '';
  const flushConstant = () => {
    if (constant !== '') run.push(JSON.stringify(constant));
    constant = '';
  };
  const flushRun = () => {
    flushConstant();
    if (run.length > 0) terms.push(runHasNumber && run.length > 1 ? `(${run.join('+')})` : run.join('+'));
    run = [];
    runHasNumber = false;
  };
  for (const p of fast) {
    if ('c' in p) constant += p.c;
    else if (p.short === true) {
      flushConstant();
      run.push(p.x);
      runHasNumber = true;
    } else {
      flushRun();
      terms.push(p.x);
    }
  }
  flushRun();
  return `${row.state}return function(e){${row.refresh}${reads.join('')}` +
    `if(${conditions.length > 0 ? conditions.join('&&') : 'true'})return ${terms.join('+')};` +
    `return "("+${general.join('+","+')}+")";};`;
}

const eventTables = new WeakMap<CompiledDomain, SqlTable<object>>();

/**
 * The event table of a domain: a column per envelope field under the domain's name (a dropped
 * field has none), the payload last as JSON; primary key event_id and unique (stream_id,
 * stream_version) when the domain keeps those fields.
 */
function eventTable(domain: DomainInput | undefined): SqlTable<object> {
  const d = resolveDomain(domain ?? 'shop');
  let table = eventTables.get(d);
  if (table === undefined) {
    const named = (f: EnvelopeField): string | undefined => d.envelope.find((c) => c.field === f)?.name;
    const stream = named('stream_id');
    const version = named('stream_version');
    // One writer per dialect, shared by the domain's scripts (warm code for the sidecar's many
    // short ones): its segments are keyed by their values, so scripts may interleave.
    const writers = new Map<SqlDialect, (e: object) => string>();
    table = {
      defaultName: 'events',
      columns: d.envelope.map((c) => ({ name: c.name, type: EVENT_COLUMN_TYPES[c.field] })),
      primaryKey: named('event_id'),
      unique: stream !== undefined && version !== undefined ? [[stream, version]] : [],
      ignoreDuplicates: false,
      values(dialect) {
        let write = writers.get(dialect);
        if (write === undefined) {
          write = new Function('S', 'N', 'T', 'J', 'd', 'P', eventRowSource(d.envelope, dialect))(
            sqlString, anyLiteral, timestampValue, JSON.stringify, dialect, ESCAPED[dialect],
          ) as (e: object) => string;
          writers.set(dialect, write);
        }
        return write;
      },
    };
    eventTables.set(d, table);
  }
  return table;
}

const USER_TABLE: SqlTable<UserProfile> = {
  defaultName: 'users',
  columns: [
    { name: 'user_id', type: UUID },
    { name: 'first_name', type: TEXT },
    { name: 'last_name', type: TEXT },
    { name: 'email', type: TEXT },
    { name: 'city', type: TEXT },
    { name: 'country', type: TEXT },
    { name: 'user_agent', type: t('text NOT NULL', 'TEXT NOT NULL', 'TEXT NOT NULL') },
    { name: 'preferred_auth', type: TEXT },
    { name: 'preferred_payment', type: TEXT },
  ],
  primaryKey: 'user_id',
  unique: [],
  ignoreDuplicates: true,
  values: (d) => (u) =>
    '(' + sqlString(u.user_id, d) + ',' + sqlString(u.first_name, d) + ',' + sqlString(u.last_name, d) + ',' +
    sqlString(u.email, d) + ',' + sqlString(u.city, d) + ',' + sqlString(u.country, d) + ',' +
    sqlString(u.user_agent, d) + ',' + sqlString(u.preferred_auth, d) + ',' + sqlString(u.preferred_payment, d) + ')',
};

interface Resolved { dialect: SqlDialect; table: string; batchRows: number; chunkChars: number; }

function resolve(options: SqlOptions, spec: SqlTable<unknown>): Resolved {
  if (typeof options !== 'object' || options === null) throw new MockjutsuError('INVALID_OPTION', `options is ${describeValue(options)}; expected an object`, 'options');
  const dialect = checkSqlDialect(options.dialect ?? 'postgres');
  const table = options.table ?? spec.defaultName;
  checkTableName(table);
  const batchRows = options.batchRows === undefined ? DEFAULT_SQL_BATCH_ROWS : checkInteger(options.batchRows, 'batchRows', 1, 10_000);
  const chunkChars = options.chunkChars === undefined ? DEFAULT_CHUNK_CHARS : checkInteger(options.chunkChars, 'chunkChars', 1, 1 << 28);
  return { dialect, table: quoteIdentifier(table, dialect), batchRows, chunkChars };
}

function createTable(spec: SqlTable<unknown>, r: Resolved): string {
  const q = (c: string) => quoteIdentifier(c, r.dialect);
  const lines = spec.columns.map((c) => '  ' + q(c.name) + ' ' + c.type[r.dialect]);
  if (spec.primaryKey !== undefined) lines.push('  PRIMARY KEY (' + q(spec.primaryKey) + ')');
  for (const u of spec.unique) lines.push('  UNIQUE (' + u.map(q).join(', ') + ')');
  const tail = r.dialect === 'mysql' ? ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n' : ');\n';
  return 'CREATE TABLE IF NOT EXISTS ' + r.table + ' (\n' + lines.join(',\n') + '\n' + tail;
}

// Session settings that make the literals below mean what they say whatever the server's defaults.
const PREAMBLE: Record<SqlDialect, string> = {
  postgres: "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
  sqlite: '',
  mysql: "SET NAMES utf8mb4;\nSET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','));\n",
};

/** Where a SQL script stands between rows: rows in the open INSERT (0: none open) and its length. */
export interface SqlStatementState {
  rows: number;
  chars: number;
}

/**
 * A SQL script being written row by row: session settings, CREATE TABLE, BEGIN, multi-row
 * INSERTs, COMMIT. Its state (the open statement) can be read and set, so that parallel
 * writers of consecutive parts of one script produce the same bytes as one writer.
 */
export class SqlScript<T> {
  /** Session settings, CREATE TABLE and BEGIN. */
  readonly head: string;
  state: SqlStatementState = { rows: 0, chars: 0 };
  /** `INSERT INTO t (columns) VALUES` and a newline: what opens a statement. */
  readonly insert: string;
  /** What ends a statement (`;` and a newline, or the ON CONFLICT clause). */
  readonly end: string;
  private readonly batchRows: number;
  readonly chunkChars: number;
  private readonly rowOf: (item: T) => string;

  constructor(spec: SqlTable<T>, options: SqlOptions) {
    const r = resolve(options, spec as SqlTable<unknown>);
    const d = r.dialect;
    this.dialect = d;
    this.batchRows = r.batchRows;
    this.chunkChars = r.chunkChars;
    this.rowOf = spec.values(d);
    this.insert = 'INSERT INTO ' + r.table + ' (' + spec.columns.map((c) => quoteIdentifier(c.name, d)).join(', ') + ') VALUES\n';
    const pk = quoteIdentifier(spec.primaryKey ?? '', d);
    this.end = !spec.ignoreDuplicates ? ';\n'
      : d === 'mysql' ? '\nON DUPLICATE KEY UPDATE ' + pk + ' = ' + pk + ';\n'
        : '\nON CONFLICT (' + pk + ') DO NOTHING;\n';
    this.head = PREAMBLE[d] + createTable(spec as SqlTable<unknown>, r) + (d === 'mysql' ? 'START TRANSACTION;\n' : 'BEGIN;\n');
  }

  readonly dialect: SqlDialect;

  /** The VALUES tuple of one item. */
  row(item: T): string {
    return this.rowOf(item);
  }

  /**
   * Moves `state` past a row of `rowChars` characters; true when that row ends its statement
   * (batchRows rows, or a statement of 1,000,000 characters).
   */
  step(state: SqlStatementState, rowChars: number): boolean {
    if (state.rows === 0) state.chars = this.insert.length + rowChars;
    else state.chars += rowChars + 2;
    if (++state.rows >= this.batchRows || state.chars >= MAX_STATEMENT_CHARS) {
      state.rows = 0;
      return true;
    }
    return false;
  }

  /** `chunk` with the item's row added (opening and ending INSERT statements as needed). */
  append(chunk: string, item: T): string {
    const row = this.row(item);
    const opens = this.state.rows === 0;
    const ends = this.step(this.state, row.length);
    return chunk + (opens ? this.insert : ',\n') + row + (ends ? this.end : '');
  }

  /** Ends the open statement, if any, and commits. */
  tail(): string {
    return (this.state.rows > 0 ? this.end : '') + 'COMMIT;\n';
  }
}

function sqlChunks<T>(items: Iterable<T>, spec: SqlTable<T>, options: SqlOptions): Generator<string> {
  const script = new SqlScript(spec, options);
  return textChunks(items, (chunk, item) => script.append(chunk, item), { head: script.head, tail: () => script.tail(), chunkChars: script.chunkChars });
}

/** A SQL script of a domain's events (`options.domain`), written row by row (see {@link eventSqlChunks}). */
export function eventSqlScript(options: SqlOptions = {}): SqlScript<object> {
  return new SqlScript(eventTable(options.domain), options);
}

/**
 * A SQL script loading `events`: session settings, `CREATE TABLE IF NOT EXISTS` (primary key
 * event_id, unique (stream_id, stream_version)), then multi-row INSERTs of `batchRows` rows
 * in one transaction, so a script cut short loads nothing. Chunks of whole rows, constant memory.
 */
export function eventSqlChunks(events: Iterable<object>, options: SqlOptions = {}): Generator<string> {
  return sqlChunks(events, eventTable(options.domain), options);
}

/** Like {@link eventSqlChunks} for user profiles; a profile already in the table is skipped (the pool repeats). */
export function userSqlChunks(users: Iterable<UserProfile>, options: SqlOptions = {}): Generator<string> {
  return sqlChunks(users, USER_TABLE, options);
}

/**
 * The `CREATE TABLE IF NOT EXISTS` statement of a domain's event table (`options.domain`,
 * default the shop), e.g. to load the CSV export into: the same columns as the CSV.
 */
export function eventTableSql(options: Pick<SqlOptions, 'dialect' | 'table' | 'domain'> = {}): string {
  const spec = eventTable(options.domain) as SqlTable<unknown>;
  return createTable(spec, resolve(options, spec));
}

/** The `CREATE TABLE IF NOT EXISTS` statement of the user table. */
export function userTableSql(options: Pick<SqlOptions, 'dialect' | 'table'> = {}): string {
  return createTable(USER_TABLE as SqlTable<unknown>, resolve(options, USER_TABLE as SqlTable<unknown>));
}
