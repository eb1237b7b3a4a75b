// --domain NAME|FILE, shared by serve and verify (lane dcli's generic --domain flag may replace it).
import { MockjutsuError } from '../core/index.js';
import { UsageError } from './cliCommand.js';
import { BUILT_IN_DOMAINS, builtInDomain } from '../core/domains/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import { loadDomainFile } from '../schemaFiles/loadDomainFile.js';

/**
 * The domains of repeated `--domain NAME|FILE`: a built-in's name, else a file (loaded with
 * the domain file loader). Errors name the flag's value and what is allowed.
 */
export async function loadDomainFlags(values: readonly string[] | undefined): Promise<CompiledDomain[]> {
  const out: CompiledDomain[] = [];
  for (const v of values ?? []) {
    if (v === '') throw new UsageError(`--domain is empty; give a built-in domain (${Object.keys(BUILT_IN_DOMAINS).join(', ')}) or a domain file`);
    if (Object.hasOwn(BUILT_IN_DOMAINS, v)) {
      out.push(builtInDomain(v));
      continue;
    }
    if (!/[./\\]/.test(v)) {
      throw new UsageError(`--domain ${JSON.stringify(v)} is neither a built-in domain (${Object.keys(BUILT_IN_DOMAINS).join(', ')}) nor a file path (a domain file such as ./bank.yaml)`);
    }
    try {
      out.push(await loadDomainFile(v));
    } catch (err) {
      if (err instanceof MockjutsuError) throw new UsageError(`--domain ${v}: ${err.message}`);
      throw err;
    }
  }
  return out;
}
