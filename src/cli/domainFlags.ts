import { existsSync } from 'node:fs';
import { BUILT_IN_DOMAINS, builtInDomain } from '../core/domains/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import type { DomainDefinition } from '../core/domain/domainDefinition.js';
import type { DomainInput } from '../core/domain/resolveDomain.js';
import { nearestName } from '../core/domain/nearestName.js';
import { UsageError } from './cliCommand.js';

// `--domain NAME|FILE` and `--param name=value`: shared by every command that generates
// (generate, bulk, export, verify) and by `serve` (whose --domain repeats: call loadDomainFlag
// once per value) and `domain`.

/** The flags, as parseCommandArgs takes them. */
export const DOMAIN_FLAGS = {
  domain: { type: 'string' },
  param: { type: 'string', multiple: true },
} as const;

/** Help lines of {@link DOMAIN_FLAGS}. */
export function domainFlagsHelp(): string {
  return `  --domain NAME|FILE whose sessions: a built-in domain (${Object.keys(BUILT_IN_DOMAINS).join(', ')}; default shop)
                     or a domain file (JSON or YAML; payload $refs resolve relative to it).
                     mockjutsu domain --print shop writes one to start from
  --param NAME=VALUE override a param of the domain (repeatable), e.g. --param currency=EUR;
                     the value takes the type of the domain's own value`;
}

/** A domain chosen by `--domain`: compiled, and what generator options should carry. */
export interface LoadedDomain {
  readonly compiled: CompiledDomain;
  /** A built-in's name, or the file's definition ($refs resolved; plain data for worker threads). */
  readonly option: string | DomainDefinition;
  /** "built-in" or the file as given. */
  readonly source: string;
}

function isBuiltIn(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_DOMAINS, name);
}

/** `--domain NAME|FILE`: a built-in name, else a file (a name that is neither gets a suggestion). */
export async function loadDomainFlag(value: string, flag = '--domain'): Promise<LoadedDomain> {
  if (value === '') throw new UsageError(`${flag} is ""; allowed: a built-in domain (${Object.keys(BUILT_IN_DOMAINS).join(', ')}) or a domain file`);
  if (isBuiltIn(value)) return { compiled: builtInDomain(value), option: value, source: 'built-in' };
  if (!existsSync(value) && /^[A-Za-z][A-Za-z0-9_.-]*$/.test(value) && !/\.(ya?ml|json)$/i.test(value)) {
    const near = nearestName(value, Object.keys(BUILT_IN_DOMAINS));
    throw new UsageError(`${flag} ${JSON.stringify(value)} is neither a built-in domain${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''} nor a file; built-in domains: ${Object.keys(BUILT_IN_DOMAINS).join(', ')}`);
  }
  // Loaded on use: the file loader brings YAML and $ref parsers (~70 ms of start-up otherwise).
  const { loadDomainFile } = await import('../schemaFiles/index.js');
  const compiled = await loadDomainFile(value);
  return { compiled, option: compiled.definition, source: value };
}

/** One `--param` value in the type of the domain's own value. */
function paramValue(text: string, current: unknown, label: string): unknown {
  switch (typeof current) {
    case 'string':
      return text;
    case 'number': {
      const n = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n)) throw new UsageError(`${label} is ${JSON.stringify(text)}; allowed: a number, like the domain's ${JSON.stringify(current)}`);
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new UsageError(`${label} is ${JSON.stringify(text)}; allowed: true or false, like the domain's ${current}`);
      return text === 'true';
    default:
      try {
        return JSON.parse(text);
      } catch {
        throw new UsageError(`${label} is ${JSON.stringify(text)}; allowed: JSON, like the domain's ${JSON.stringify(current)}`);
      }
  }
}

/**
 * `--param name=value ...` against the domain's params: unknown names get the nearest known
 * one, values take the type of the domain's own value (`--param max_loans=5` is the number 5).
 */
export function parseParamFlags(values: readonly string[] | undefined, domain: CompiledDomain, flag = '--param'): Record<string, unknown> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const known = Object.keys(domain.params);
  const out: Record<string, unknown> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${JSON.stringify(v)}: expected NAME=VALUE, e.g. ${flag} ${known[0] ?? 'name'}=...; domain ${domain.name}'s params: ${known.join(', ') || '(none)'}`);
    const name = v.slice(0, eq);
    if (!Object.prototype.hasOwnProperty.call(domain.params, name)) {
      const near = nearestName(name, known);
      throw new UsageError(`${flag} ${JSON.stringify(v)}: domain ${domain.name} has no param ${JSON.stringify(name)}${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : ''} its params: ${known.join(', ') || '(none)'}`);
    }
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new UsageError(`${flag} ${name} is given twice; give each param once`);
    const value = paramValue(v.slice(eq + 1), domain.params[name], `${flag} ${name}`);
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Generator options of `--domain` and `--param` (none when neither is given). */
export async function resolveDomainFlags(values: { domain?: string; param?: string[] }): Promise<{ domain?: LoadedDomain; options: { domain?: DomainInput; params?: Record<string, unknown> } }> {
  const domain = values.domain === undefined ? undefined : await loadDomainFlag(values.domain);
  const params = parseParamFlags(values.param, domain?.compiled ?? builtInDomain('shop'));
  const options: { domain?: DomainInput; params?: Record<string, unknown> } = {};
  // The compiled domain: this thread does not compile it again; it is plain data for workers.
  if (domain !== undefined) options.domain = domain.compiled;
  if (params !== undefined) options.params = params;
  return { domain, options };
}
