import { MockjutsuError } from '../mockjutsuError.js';

/** One reference token of a JSON pointer, escaped (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `base` extended by `tokens`, in the URI-fragment form `#/a/b` used in every error path. */
export function childPointer(base: string, ...tokens: Array<string | number>): string {
  let p = base;
  for (const t of tokens) p += '/' + escapePointerToken(t);
  return p;
}

/**
 * The value a local `$ref` (`#`, `#/a/b`, percent-encoded or not) points at inside `document`.
 * The core resolves only these; refs to other files are bundled into one document on Node
 * (see `src/schemaFiles/`) before the core sees them.
 */
export function resolveLocalPointer(document: unknown, ref: string, at: string): unknown {
  if (typeof ref !== 'string' || !ref.startsWith('#')) {
    throw new MockjutsuError('INVALID_SCHEMA', `$ref ${JSON.stringify(ref)} is not a local "#/..." pointer; refs to other files are resolved on Node by loadSchemaFile() (the core only follows pointers inside the document)`, at);
  }
  if (ref === '#' || ref === '#/') return document;
  if (ref[1] !== '/') throw new MockjutsuError('INVALID_SCHEMA', `$ref ${JSON.stringify(ref)}: anchors ("#name") are not supported; use a "#/..." pointer`, at);
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      token = raw;
    }
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) {
      throw new MockjutsuError('INVALID_SCHEMA', `$ref ${JSON.stringify(ref)} cannot be resolved: no ${JSON.stringify(token)} in the document`, at);
    }
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
