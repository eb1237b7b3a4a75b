// The numeric settings of startSidecar (limits, timeouts) checked before anything starts: a
// NaN, a negative number or a misspelt name would otherwise turn a limit off without a word.
import { didYouMean } from '../core/domain/nearestName.js';
import { describeValue } from './safeText.js';

/** Inclusive integer bounds of each setting. */
export type SettingRanges<T> = { readonly [K in keyof T]: readonly [min: number, max: number] };

/**
 * `defaults` with the settings given in `given` (undefined members keep the default). Throws a
 * TypeError for a name that is not a setting and a RangeError for a value that is not an
 * integer within its range, naming `what.name`, the value and what is allowed.
 */
export function checkedSettings<T extends { [K in keyof T]: number }>(what: string, given: Partial<T> | null | undefined, defaults: Readonly<T>, ranges: SettingRanges<T>): T {
  const settings = { ...defaults } as T;
  // null: none given, as the spread `{ ...defaults, ...null }` took it before the check
  if (given === undefined || given === null) return settings;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(`${what} is ${describeValue(given)}; allowed: an object of settings (${Object.keys(defaults).join(', ')})`);
  }
  const names = Object.keys(defaults);
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      throw new TypeError(`${what} has no setting ${JSON.stringify(name)}${didYouMean(name, names) || ';'} its settings: ${names.join(', ')}`);
    }
    if (value === undefined) continue;
    const [min, max] = ranges[name as keyof T];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      // A bigint prints as its digits: "is 5; allowed: an integer" would contradict itself.
      const shown = typeof value === 'bigint' ? `${value}n (a bigint)` : describeValue(value);
      throw new RangeError(`${what}.${name} is ${shown}; allowed: an integer from ${min} to ${max}`);
    }
    settings[name as keyof T] = value as T[keyof T];
  }
  return settings;
}
