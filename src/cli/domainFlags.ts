import { existsSync } from 'node:fs';
import { BUILT_IN_DOMAINS, builtInDomain } from '../core/domains/index.js';
import type { CompiledDomain } from '../core/domain/compileDomain.js';
import type { DomainDefinition } from '../core/domain/domainDefinition.js';
import type { DomainInput } from '../core/domain/resolveDomain.js';
import { didYouMean, nearestName } from '../core/domain/nearestName.js';
import { resolveParams } from '../core/generatorOptions.js';
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
      throw new UsageError(`${flag} ${JSON.stringify(v)}: domain ${domain.name} has no param ${JSON.stringify(name)}${didYouMean(name, known) || ";"} its params: ${known.join(', ') || '(none)'}`);
    }
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new UsageError(`${flag} ${name} is given twice; give each param once`);
    const value = paramValue(v.slice(eq + 1), domain.params[name], `${flag} ${name}`);
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * `serve --param [DOMAIN.]NAME=VALUE ...` over the served `--domain` domains: an unqualified
 * NAME sets the param of every served domain that declares it (at least one must), a qualified
 * one (`library.max_loans=1`) that of the domain named. Returns the domains with the values
 * as their params, so every request of a domain (/generate, /bulk, /sessions, JMeter) draws
 * with them, as `createGenerator({ domain, params })` would.
 */
export function applyServeParams(values: readonly string[] | undefined, domains: readonly CompiledDomain[]): CompiledDomain[] {
  if (values === undefined || values.length === 0) return [...domains];
  const paramsOf = (d: CompiledDomain): string => `${d.name}: ${Object.keys(d.params).join(', ') || '(none)'}`;
  if (domains.length === 0) {
    throw new UsageError(`--param ${JSON.stringify(values[0])}: --param sets the params of the domains served with --domain, and none is given; e.g. --domain bank --param NAME=VALUE`);
  }
  const given = new Map<CompiledDomain, string[]>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${JSON.stringify(v)}: expected NAME=VALUE or DOMAIN.NAME=VALUE; the served domains' params: ${domains.map(paramsOf).join('; ')}`);
    const lhs = v.slice(0, eq);
    const dot = lhs.lastIndexOf('.');
    const targets = dot < 0 ? domains.filter((d) => Object.prototype.hasOwnProperty.call(d.params, lhs)) : domains.filter((d) => d.name === lhs.slice(0, dot));
    if (dot >= 0 && targets.length === 0) {
      throw new UsageError(`--param ${JSON.stringify(v)}: no served domain is named ${JSON.stringify(lhs.slice(0, dot))}; served with --domain: ${domains.map((d) => d.name).join(', ')}`);
    }
    if (targets.length === 0) {
      throw new UsageError(`--param ${JSON.stringify(v)}: no served domain has a param ${JSON.stringify(lhs)}; their params: ${domains.map(paramsOf).join('; ')}`);
    }
    const name = lhs.slice(dot + 1);
    if (dot >= 0 && !Object.prototype.hasOwnProperty.call(targets[0]!.params, name)) {
      const known = Object.keys(targets[0]!.params);
      throw new UsageError(`--param ${JSON.stringify(v)}: domain ${targets[0]!.name} has no param ${JSON.stringify(name)}${didYouMean(name, known) || ";"} its params: ${known.join(', ') || '(none)'}`);
    }
    // NAME=VALUE for each target (parseParamFlags checks the name and the value's type)
    for (const d of targets) given.set(d, [...(given.get(d) ?? []), v.slice(dot + 1)]);
  }
  return domains.map((d) => {
    const overrides = parseParamFlags(given.get(d), d);
    return overrides === undefined ? d : domainWithParams(d, overrides);
  });
}

/**
 * `domain` with `overrides` as its params (its definition's too): the defaults every generator of
 * it starts from, merged and checked as `createGenerator({ domain, params: overrides })` does.
 */
export function domainWithParams(domain: CompiledDomain, overrides: Readonly<Record<string, unknown>>): CompiledDomain {
  const params = resolveParams(domain, overrides);
  return Object.freeze({ ...domain, params, definition: { ...domain.definition, params } });
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
