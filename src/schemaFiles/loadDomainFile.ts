import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MockjutsuError, describeValue } from '../core/mockjutsuError.js';
import { compileDomain, type CompiledDomain } from '../core/domain/compileDomain.js';
import type { DomainDefinition } from '../core/domain/domainDefinition.js';
import { locateSchema, readSchemaDocument } from '../core/schema/schemaDocument.js';
import { loadSchemaFile } from './loadSchemaFile.js';

// Node side of domains: reads a domain file (JSON or YAML) and resolves each payload's `$ref`
// into the `{ document, ref }` the core compiles (the core reads no files).

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a domain file',
  ENOTDIR: 'a parent is not a directory',
};

/** Domain files larger than this are refused before parsing (a domain is a page of text). */
export const MAX_DOMAIN_FILE_BYTES = 8 * 1024 * 1024;

function fileError(file: string, message: string, path?: string): MockjutsuError {
  return new MockjutsuError('INVALID_DOMAIN', `domain file ${JSON.stringify(file)}: ${message}`, path);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The text of a domain file as data: JSON for .json, YAML 1.2 otherwise (errors name the line). */
export function parseDomainText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw fileError(file, `is not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 1000 });
  } catch (e) {
    const err = e as Error & { linePos?: Array<{ line: number; col: number }> };
    const where = err.linePos?.[0] !== undefined ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    throw fileError(file, `is not valid YAML${where}: ${err.message.split('\n')[0]}`);
  }
}

/** `./file.yaml#Name`, `file.json#/components/schemas/X` or `schema.json`: the file and the ref. */
function splitRef(ref: string): { file: string; ref: string | undefined } {
  const hash = ref.indexOf('#');
  if (hash === -1) return { file: ref, ref: undefined };
  const fragment = ref.slice(hash + 1);
  return { file: ref.slice(0, hash), ref: fragment === '' ? undefined : fragment.startsWith('/') ? '#' + fragment : fragment };
}

/**
 * Reads a domain file and resolves every `events.<type>.payload.$ref` relative to it, without
 * compiling: the definition is plain data (it crosses to worker threads and prints as JSON).
 */
export async function readDomainFile(path: string): Promise<DomainDefinition> {
  const file = resolve(path);
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_DOMAIN_FILE_BYTES) throw fileError(path, `is ${bytes.length} bytes; allowed: at most ${MAX_DOMAIN_FILE_BYTES}`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof MockjutsuError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw fileError(path, `cannot read it: ${READ_ERRORS[code] ?? (e as Error).message}`);
  }
  const def = parseDomainText(text, path);
  if (!isRecord(def)) throw fileError(path, `holds ${describeValue(def)}; expected a domain object with domain, aggregates, chain and events`, 'domain');
  const events = def.events;
  if (!isRecord(events)) return def as unknown as DomainDefinition;

  const documents = new Map<string, Promise<object>>();
  const resolvedEvents: Record<string, unknown> = {};
  for (const type of Object.keys(events)) {
    const ev = events[type];
    const payload = isRecord(ev) ? ev.payload : undefined;
    if (!isRecord(ev) || !isRecord(payload) || !Object.prototype.hasOwnProperty.call(payload, '$ref')) {
      Object.defineProperty(resolvedEvents, type, { value: ev, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const jsonPath = `domain.events.${type}.payload.$ref`;
    const refText = payload.$ref;
    if (typeof refText !== 'string' || refText === '') {
      throw fileError(path, `${jsonPath}: is ${describeValue(refText)}; allowed: "file.yaml#Name", "file.json#/components/schemas/Name" or "schema.json" (a path relative to the domain file)`, jsonPath);
    }
    if (payload.schema !== undefined || payload.document !== undefined) {
      throw fileError(path, `${jsonPath}: give the payload's schema once: $ref or schema, not both`, jsonPath);
    }
    const { file: refFile, ref } = splitRef(refText);
    if (refFile === '') throw fileError(path, `${jsonPath}: ${JSON.stringify(refText)} names no file; allowed: "file.yaml#Name" (a path relative to the domain file)`, jsonPath);
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(refFile)) throw fileError(path, `${jsonPath}: ${JSON.stringify(refText)} is a URL; allowed: a path relative to the domain file (mockjutsu reads no network)`, jsonPath);
    const target = resolve(dirname(file), refFile);
    let load = documents.get(target);
    if (load === undefined) {
      load = loadSchemaFile(target);
      documents.set(target, load);
    }
    let document: object;
    try {
      document = await load;
    } catch (e) {
      throw fileError(path, `${jsonPath}: ${JSON.stringify(refText)}: ${(e as Error).message.replace(JSON.stringify(target), JSON.stringify(refFile))}`, jsonPath);
    }
    try {
      locateSchema(readSchemaDocument(document), ref);
    } catch (e) {
      throw fileError(path, `${jsonPath}: ${JSON.stringify(refText)}: ${(e as Error).message}`, jsonPath);
    }
    const { $ref: _ref, ...rest } = payload;
    const resolvedPayload = ref === undefined ? { ...rest, document } : { ...rest, document, ref };
    Object.defineProperty(resolvedEvents, type, { value: { ...ev, payload: resolvedPayload }, enumerable: true, writable: true, configurable: true });
  }
  return { ...def, events: resolvedEvents } as unknown as DomainDefinition;
}

/**
 * Reads a domain file (JSON or YAML), resolves its payload `$ref`s relative to it (OpenAPI,
 * AsyncAPI or JSON Schema files) and compiles it. Errors name the file, the JSON path and what
 * is allowed.
 */
export async function loadDomainFile(path: string): Promise<CompiledDomain> {
  const def = await readDomainFile(path);
  try {
    return compileDomain(def);
  } catch (e) {
    if (e instanceof MockjutsuError) throw new MockjutsuError(e.code, `domain file ${JSON.stringify(path)}: ${e.message}`, e.path);
    throw e;
  }
}
