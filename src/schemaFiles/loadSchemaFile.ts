import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { parse as parseYaml } from 'yaml';
import { MockjutsuError } from '../core/mockjutsuError.js';
import { compileSchema, createEventMocker, type CompileSchemaOptions, type EventMocker, type MockEventOptions, type SchemaGenerator } from '../core/schema/index.js';

/** JSON or YAML text as a document (YAML 1.2 through the `yaml` package). */
export function parseSchemaText(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      // JSON-looking YAML (flow style) is still YAML: fall through
    }
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `schema text is neither JSON nor YAML: ${(e as Error).message}`, 'schema');
  }
}

/**
 * Reads a schema document (JSON or YAML) and bundles every `$ref` to other files into it, so
 * that only local `#/...` refs remain for the core (recursive refs stay refs). An EventBridge
 * registry export file (`aws schemas describe-schema` output) is returned as it is: the core
 * unwraps its `Content`.
 */
export async function loadSchemaFile(path: string): Promise<object> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `cannot read schema file ${JSON.stringify(path)}: ${(e as Error).message}`, 'schema');
  }
  const doc = parseSchemaText(text);
  if (typeof doc !== 'object' || doc === null) throw new MockjutsuError('INVALID_SCHEMA', `schema file ${JSON.stringify(path)} holds no document`, 'schema');
  if (typeof (doc as Record<string, unknown>).Content === 'string') return doc;
  try {
    return (await $RefParser.bundle(file, doc as any, { parse: { yaml: { allowEmpty: false } } } as any)) as object;
  } catch (e) {
    const err = e as Error & { path?: string; source?: string };
    throw new MockjutsuError('INVALID_SCHEMA', `cannot resolve the $refs of ${JSON.stringify(path)}: ${err.message}`, 'schema');
  }
}

/** {@link loadSchemaFile} then `compileSchema`: what the CLI and the sidecar call per schema file. */
export async function compileSchemaFile<T = unknown>(path: string, options: CompileSchemaOptions = {}): Promise<SchemaGenerator<T>> {
  return compileSchema<T>(await loadSchemaFile(path), { parseText: parseSchemaText, ...options });
}

/** {@link loadSchemaFile} then `createEventMocker` (contexts, envelope, per-partition events). */
export async function createEventMockerFromFile(path: string, options: Omit<MockEventOptions, 'schema'> = {}): Promise<EventMocker> {
  return createEventMocker({ parseText: parseSchemaText, ...options, schema: await loadSchemaFile(path) });
}
