import { MockjutsuError, describeValue } from '../mockjutsuError.js';
import { childPointer, resolveLocalPointer } from './jsonPointer.js';

/** What a schema input may be: a parsed document, or its JSON text (YAML text with `parseText`). */
export type SchemaInput = object | string;

/** The kinds of document the schema compiler reads. */
export type SchemaDocumentKind = 'openapi' | 'asyncapi' | 'json-schema';

/** Where the schema to generate from sits, and what the document says about the event. */
export interface LocatedSchema {
  /** The whole document (local `$ref`s resolve against it). */
  readonly document: unknown;
  readonly kind: SchemaDocumentKind;
  /** JSON pointer of the schema inside `document`, e.g. `#/components/schemas/MyEvent`. */
  readonly pointer: string;
  readonly schema: unknown;
  /** The schema's or message's name (`ref`, the title, or "MockEvent"). */
  readonly name: string;
  /** `x-amazon-events-source` of an EventBridge registry schema. */
  readonly eventSource?: string;
  /** `x-amazon-events-detail-type` of an EventBridge registry schema. */
  readonly detailType?: string;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A schema input as a document object: JSON text is parsed, YAML text goes through
 * `parseText` (the core carries no YAML parser: see the README), and an EventBridge
 * schema-registry export (`aws schemas describe-schema` output, or an object with its
 * `Content` string) is unwrapped to its content.
 */
export function readSchemaDocument(input: unknown, parseText?: (text: string) => unknown): unknown {
  let doc: unknown = input;
  if (typeof doc === 'string') doc = parseSchemaText(doc, parseText, 'schema');
  if (isObject(doc) && typeof doc.Content === 'string' && doc.openapi === undefined && doc.$schema === undefined) {
    // EventBridge schema registry: { Content, Type: "OpenApi3" | "JSONSchemaDraft4", SchemaName, ... }
    doc = parseSchemaText(doc.Content, parseText, 'schema.Content');
  }
  if (!isObject(doc) && typeof doc !== 'boolean') {
    throw new MockjutsuError('INVALID_SCHEMA', `schema is ${describeValue(doc)}; expected an OpenAPI, AsyncAPI or JSON Schema document (object, JSON text, or YAML text with parseText)`, 'schema');
  }
  return doc;
}

function parseSchemaText(text: string, parseText: ((text: string) => unknown) | undefined, path: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch (e) {
      if (!parseText) throw new MockjutsuError('INVALID_SCHEMA', `${path} is not valid JSON: ${(e as Error).message}`, path);
    }
  }
  if (!parseText) {
    throw new MockjutsuError('INVALID_SCHEMA', `${path} is text that is not JSON; for YAML pass options.parseText (on Node, loadSchemaFile() and parseSchemaText() from "mockjutsu" read YAML)`, path);
  }
  try {
    return parseText(text);
  } catch (e) {
    throw new MockjutsuError('INVALID_SCHEMA', `${path} could not be parsed: ${(e as Error).message}`, path);
  }
}

function documentKind(doc: unknown): SchemaDocumentKind {
  if (isObject(doc)) {
    if (typeof doc.openapi === 'string') {
      if (!/^3\.[01]\./.test(doc.openapi + '.')) throw new MockjutsuError('INVALID_SCHEMA', `openapi ${JSON.stringify(doc.openapi)} is not supported; allowed: 3.0.x and 3.1.x`, '#/openapi');
      return 'openapi';
    }
    if (typeof doc.swagger === 'string') throw new MockjutsuError('INVALID_SCHEMA', 'Swagger 2.0 documents are not supported; convert to OpenAPI 3', '#/swagger');
    if (typeof doc.asyncapi === 'string') {
      if (!/^[23]\./.test(doc.asyncapi)) throw new MockjutsuError('INVALID_SCHEMA', `asyncapi ${JSON.stringify(doc.asyncapi)} is not supported; allowed: 2.x and 3.x`, '#/asyncapi');
      return 'asyncapi';
    }
  }
  return 'json-schema';
}

function follow(doc: unknown, node: unknown, pointer: string): { node: unknown; pointer: string } {
  // A message or schema entry may itself be a $ref; follow a few hops (cycles end with an error).
  for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && Object.keys(node).length === 1; hops++) {
    if (hops > 16) throw new MockjutsuError('INVALID_SCHEMA', '$ref chain longer than 16 hops (a cycle?)', pointer);
    const target = node.$ref;
    node = resolveLocalPointer(doc, target, pointer);
    pointer = target === '#' ? '#' : target;
  }
  return { node, pointer };
}

interface NamedEntry { name: string; pointer: string }

function asyncApiMessages(doc: Record<string, any>): NamedEntry[] {
  const out: NamedEntry[] = [];
  const seen = new Set<string>();
  const add = (name: string | undefined, pointer: string) => {
    if (name !== undefined && !seen.has(name)) {
      seen.add(name);
      out.push({ name, pointer });
    }
  };
  const messages = isObject(doc.components) && isObject(doc.components.messages) ? doc.components.messages : {};
  for (const key of Object.keys(messages)) add(key, childPointer('#/components/messages', key));
  const channels = isObject(doc.channels) ? doc.channels : {};
  for (const ch of Object.keys(channels)) {
    const channel = channels[ch];
    if (!isObject(channel)) continue;
    const base = childPointer('#/channels', ch);
    const named = (m: unknown, p: string, fallback?: string) => {
      const { node } = follow(doc, m, p);
      if (isObject(node)) add(node.messageId ?? node.name ?? fallback, p);
    };
    // AsyncAPI 2: channels.X.publish|subscribe.message (one message, or oneOf a list)
    for (const op of ['publish', 'subscribe']) {
      const m = isObject(channel[op]) ? channel[op].message : undefined;
      if (isObject(m) && Array.isArray(m.oneOf)) m.oneOf.forEach((x: unknown, i: number) => named(x, childPointer(base, op, 'message', 'oneOf', i)));
      else if (m !== undefined) named(m, childPointer(base, op, 'message'));
    }
    // AsyncAPI 3: channels.X.messages.NAME
    if (isObject(channel.messages)) {
      for (const key of Object.keys(channel.messages)) named(channel.messages[key], childPointer(base, 'messages', key), key);
    }
  }
  return out;
}

function messagePayload(doc: unknown, entry: NamedEntry): { schema: unknown; pointer: string } {
  const { node, pointer } = follow(doc, resolveLocalPointer(doc, entry.pointer, entry.pointer), entry.pointer);
  if (!isObject(node) || node.payload === undefined) throw new MockjutsuError('INVALID_SCHEMA', `message ${JSON.stringify(entry.name)} has no payload`, pointer);
  // AsyncAPI 2 puts the payload's format on the message (Avro, RAML... are not JSON Schema)
  if (typeof node.schemaFormat === 'string' && !/json|asyncapi|openapi/i.test(node.schemaFormat)) {
    throw new MockjutsuError('INVALID_SCHEMA', `message ${JSON.stringify(entry.name)} has schemaFormat ${JSON.stringify(node.schemaFormat)}; allowed: AsyncAPI, JSON Schema or OpenAPI schema formats`, childPointer(pointer, 'schemaFormat'));
  }
  let p = childPointer(pointer, 'payload');
  let payload: unknown = node.payload;
  // AsyncAPI 3 multi-format schema: { schemaFormat, schema }
  if (isObject(payload) && payload.schema !== undefined && typeof payload.schemaFormat === 'string') {
    if (!/json|asyncapi|openapi/i.test(payload.schemaFormat)) {
      throw new MockjutsuError('INVALID_SCHEMA', `payload schemaFormat ${JSON.stringify(payload.schemaFormat)} is not supported; allowed: AsyncAPI, JSON Schema or OpenAPI schema formats`, childPointer(p, 'schemaFormat'));
    }
    payload = payload.schema;
    p = childPointer(p, 'schema');
  }
  return { schema: payload, pointer: p };
}

/**
 * Finds the schema `ref` names in a document: an OpenAPI `components.schemas` entry, an
 * AsyncAPI message (its payload) or schema, a JSON Schema `$defs`/`definitions` entry, or a
 * `#/...` pointer. Without `ref`: an EventBridge `AWSEvent`, the only schema or message, or a
 * JSON Schema's root.
 */
export function locateSchema(document: unknown, ref?: string): LocatedSchema {
  const kind = documentKind(document);
  const doc = document as Record<string, any>;
  if (ref !== undefined && (typeof ref !== 'string' || ref.length === 0)) {
    throw new MockjutsuError('INVALID_OPTION', `ref is ${describeValue(ref)}; expected a schema or message name, or a "#/..." pointer`, 'ref');
  }
  let pointer: string;
  let name: string | undefined = ref;
  let schema: unknown;
  if (ref !== undefined && ref.startsWith('#')) {
    pointer = ref;
    schema = resolveLocalPointer(document, ref, 'ref');
    name = ref.slice(ref.lastIndexOf('/') + 1) || undefined;
  } else if (kind === 'openapi' || (kind === 'asyncapi' && ref !== undefined && isObject(doc.components?.schemas) && doc.components.schemas[ref] !== undefined && !isObject(doc.components?.messages?.[ref]))) {
    const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
    const names = Object.keys(schemas);
    if (ref === undefined) {
      if (names.includes('AWSEvent')) name = 'AWSEvent';
      else if (names.length === 1) name = names[0];
      else throw new MockjutsuError('INVALID_OPTION', `the document has ${names.length} schemas; pass ref naming one of: ${names.join(', ') || '(none)'}`, 'ref');
    }
    if (!Object.prototype.hasOwnProperty.call(schemas, name!)) {
      throw new MockjutsuError('INVALID_OPTION', `unknown ref ${JSON.stringify(name)}: no such entry in components.schemas; known: ${names.join(', ') || '(none)'}`, 'ref');
    }
    pointer = childPointer('#/components/schemas', name!);
    schema = schemas[name!];
  } else if (kind === 'asyncapi') {
    const messages = asyncApiMessages(doc);
    let entry: NamedEntry | undefined;
    if (ref === undefined) {
      if (messages.length !== 1) throw new MockjutsuError('INVALID_OPTION', `the document has ${messages.length} messages; pass ref naming one of: ${messages.map((m) => m.name).join(', ') || '(none)'}`, 'ref');
      entry = messages[0];
    } else {
      entry = messages.find((m) => m.name === ref);
      if (entry === undefined) {
        const schemas = isObject(doc.components?.schemas) ? Object.keys(doc.components.schemas) : [];
        throw new MockjutsuError('INVALID_OPTION', `unknown ref ${JSON.stringify(ref)}: no such message or schema; messages: ${messages.map((m) => m.name).join(', ') || '(none)'}; schemas: ${schemas.join(', ') || '(none)'}`, 'ref');
      }
    }
    name = entry!.name;
    ({ schema, pointer } = messagePayload(doc, entry!));
  } else if (ref === undefined) {
    pointer = '#';
    schema = document;
  } else {
    const defs = isObject(doc.$defs) ? doc.$defs : {};
    const definitions = isObject(doc.definitions) ? doc.definitions : {};
    if (Object.prototype.hasOwnProperty.call(defs, ref)) {
      pointer = childPointer('#/$defs', ref);
      schema = defs[ref];
    } else if (Object.prototype.hasOwnProperty.call(definitions, ref)) {
      pointer = childPointer('#/definitions', ref);
      schema = definitions[ref];
    } else {
      throw new MockjutsuError('INVALID_OPTION', `unknown ref ${JSON.stringify(ref)}: no such entry in $defs or definitions; known: ${[...Object.keys(defs), ...Object.keys(definitions)].join(', ') || '(none)'}`, 'ref');
    }
  }
  const s = isObject(schema) ? schema : {};
  const title = typeof s.title === 'string' ? s.title : undefined;
  return {
    document,
    kind,
    pointer,
    schema,
    name: name ?? title ?? 'MockEvent',
    ...(typeof s['x-amazon-events-source'] === 'string' ? { eventSource: s['x-amazon-events-source'] } : {}),
    ...(typeof s['x-amazon-events-detail-type'] === 'string' ? { detailType: s['x-amazon-events-detail-type'] } : {}),
  };
}
