import { parseArgs } from 'node:util';
import { UsageError } from './cliCommand.js';

/** A flag of a command, as `node:util` parseArgs takes it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Repeatable: the values come as an array. */
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** Parsed flag values: strings for string flags, booleans for boolean ones, absent when not given. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]?: F[K]['multiple'] extends true ? string[] : F[K]['type'] extends 'boolean' ? boolean : string;
};

/** Result of {@link parseCommandArgs}. */
export interface ParsedCommandArgs<F extends FlagSpecs> {
  values: FlagValues<F>;
  positionals: string[];
}

function flagList(flags: FlagSpecs): string {
  return Object.keys(flags).map((f) => '--' + f).join(', ');
}

/**
 * `--count -5` as `--count=-5`: parseArgs calls a value that starts with a dash "ambiguous" and
 * its message tells a user nothing; attached, the value reaches the flag's own check, which
 * names it and what is allowed. Only for string flags, and only before a `--` terminator.
 */
function attachDashValues(args: readonly string[], flags: FlagSpecs): string[] {
  const out: string[] = [];
  const byShort = new Map(Object.entries(flags).filter(([, f]) => f.short !== undefined).map(([name, f]) => [f.short!, name]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = a.startsWith('--') ? a.slice(2) : /^-[A-Za-z]$/.test(a) ? byShort.get(a.slice(1)) : undefined;
    const next = args[i + 1];
    if (name !== undefined && !name.includes('=') && flags[name]?.type === 'string' && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * Parses a command's arguments with `node:util` parseArgs (strict) and turns its errors into
 * {@link UsageError}s that name the bad flag and list the allowed ones.
 */
export function parseCommandArgs<F extends FlagSpecs>(args: string[], flags: F, maxPositionals: number): ParsedCommandArgs<F> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: attachDashValues(args, flags), options: flags, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    const err = e as Error & { code?: string };
    const quoted = /'([^']*)'/.exec(err.message)?.[1];
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${quoted ?? err.message}; allowed: ${flagList(flags)}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
        const flag = /--[A-Za-z0-9-]+/.exec(quoted ?? '')?.[0] ?? quoted ?? '';
        if (/argument missing/.test(err.message)) throw new UsageError(`${flag} needs a value`);
        if (/does not take an argument/.test(err.message)) throw new UsageError(`${flag} takes no value`);
        throw new UsageError(err.message);
      }
      default:
        if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(err.message);
        throw e;
    }
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}${maxPositionals === 0 ? '; this command takes no arguments' : ''}`);
  }
  return parsed as ParsedCommandArgs<F>;
}

/** An integer flag value in [min, max]; digits only (no signs, exponents or separators). */
export function parseIntegerFlag(value: string, flag: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} is ${JSON.stringify(value)}; allowed: an integer from ${min} to ${max}`);
  }
  return n;
}

/** A flag value that must be one of `allowed`. */
export function parseChoiceFlag<T extends string>(value: string, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} is ${JSON.stringify(value)}; allowed: ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Flags given that only make sense with another setting: a usage error naming them. */
export function rejectFlags(values: Record<string, unknown>, names: readonly string[], why: string): void {
  const given = names.filter((n) => values[n] !== undefined);
  if (given.length > 0) throw new UsageError(`${given.map((n) => '--' + n).join(', ')} ${why}`);
}
