// PLACEHOLDER of lane dcli's loader (same signature): the lead keeps dcli's version on merge.
// This one reads JSON or YAML and compiles it; it does not resolve payload `$ref`s to files.
import { readFile } from 'node:fs/promises';
import { MockjutsuError } from '../core/index.js';
import { compileDomain, type CompiledDomain } from '../core/domain/compileDomain.js';
import { parseSchemaText } from './loadSchemaFile.js';

/** Reads a domain file (JSON or YAML) and compiles it; errors name the file. */
export async function loadDomainFile(path: string): Promise<CompiledDomain> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MockjutsuError('INVALID_OPTION', `cannot read domain file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 'domain');
  }
  try {
    return compileDomain(parseSchemaText(text));
  } catch (err) {
    if (err instanceof MockjutsuError) throw new MockjutsuError(err.code, `${path}: ${err.message}`, err.path);
    throw err;
  }
}
