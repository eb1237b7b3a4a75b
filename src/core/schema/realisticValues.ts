import { pick, type Prng } from '../prng.js';
import { uuidV4 } from '../uuid.js';
import {
  firstNames, lastNames, freeEmailDomains, cities, countries, userAgents,
  productAdjectives, productMaterials, products, departments, searchAdjectives, searchNouns,
} from '../data/fakerSlice.generated.js';

/** A named source of realistic values: what `x-mockjutsu` pins and name heuristics pick. */
export interface RealisticValue {
  /** The JSON type the value has. */
  readonly type: 'string' | 'number' | 'integer';
  /** A value from `r`; `baseMs` anchors dates and times. */
  draw(r: Prng, baseMs: number): string | number;
}

// ISO codes are not faker locale data: a short list of the most traded ones.
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'PLN', 'CNY', 'INR', 'BRL', 'MXN'];
const COUNTRY_CODES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'CA', 'AU', 'JP', 'BR', 'IN', 'MX', 'CH'];
const STREET_SUFFIXES = ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Way', 'Court', 'Place', 'Boulevard'];
const TLDS = ['com', 'net', 'org', 'io', 'dev'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const YEAR_MS = 365 * 86_400_000;

/** Lowercase letters and digits only (for emails, hosts, user names). */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function digits(r: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(r() * 10));
  return s;
}

function chars(r: Prng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** An instant within the year after `baseMs`, whole seconds. */
export function instantMs(r: Prng, baseMs: number): number {
  return baseMs + Math.floor(r() * (YEAR_MS / 1000)) * 1000;
}

/** `2025-03-07T14:05:09Z` (RFC 3339, UTC, no fraction). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function hostname(r: Prng): string {
  return slug(pick(r, searchAdjectives)) + '-' + slug(pick(r, searchNouns)) + '.' + pick(r, TLDS);
}

function words(r: Prng, n: number): string {
  let s = pick(r, searchAdjectives);
  for (let i = 1; i < n; i++) s += ' ' + pick(r, searchNouns);
  return s;
}

/** Every named generator; `x-mockjutsu: "<name>"` pins one for a field. */
export const REALISTIC_VALUES: Readonly<Record<string, RealisticValue>> = {
  uuid: { type: 'string', draw: (r) => uuidV4(r) },
  email: {
    type: 'string',
    draw: (r) => slug(pick(r, firstNames)) + '.' + slug(pick(r, lastNames)) + (r() < 0.5 ? String(Math.floor(r() * 100)) : '') + '@' + pick(r, freeEmailDomains),
  },
  firstName: { type: 'string', draw: (r) => pick(r, firstNames) },
  lastName: { type: 'string', draw: (r) => pick(r, lastNames) },
  fullName: { type: 'string', draw: (r) => pick(r, firstNames) + ' ' + pick(r, lastNames) },
  userName: { type: 'string', draw: (r) => slug(pick(r, firstNames)) + '_' + slug(pick(r, lastNames)) + Math.floor(r() * 100) },
  city: { type: 'string', draw: (r) => pick(r, cities) },
  country: { type: 'string', draw: (r) => pick(r, countries) },
  countryCode: { type: 'string', draw: (r) => pick(r, COUNTRY_CODES) },
  street: { type: 'string', draw: (r) => (1 + Math.floor(r() * 998)) + ' ' + pick(r, lastNames) + ' ' + pick(r, STREET_SUFFIXES) },
  postalCode: { type: 'string', draw: (r) => digits(r, 5) },
  phone: { type: 'string', draw: (r) => '+1-' + (200 + Math.floor(r() * 800)) + '-555-' + digits(r, 4) },
  sku: { type: 'string', draw: (r) => chars(r, LETTERS, 3) + '-' + digits(r, 5) },
  productName: { type: 'string', draw: (r) => pick(r, productAdjectives) + ' ' + pick(r, productMaterials) + ' ' + pick(r, products) },
  department: { type: 'string', draw: (r) => pick(r, departments) },
  currency: { type: 'string', draw: (r) => pick(r, CURRENCIES) },
  userAgent: { type: 'string', draw: (r) => pick(r, userAgents) },
  hostname: { type: 'string', draw: (r) => hostname(r) },
  url: { type: 'string', draw: (r) => 'https://' + hostname(r) + '/' + slug(pick(r, searchNouns)) },
  ipv4: { type: 'string', draw: (r) => (1 + Math.floor(r() * 223)) + '.' + Math.floor(r() * 256) + '.' + Math.floor(r() * 256) + '.' + (1 + Math.floor(r() * 254)) },
  ipv6: {
    type: 'string',
    draw: (r) => {
      let s = '2001:db8';
      for (let i = 0; i < 6; i++) s += ':' + (Math.floor(r() * 0x10000)).toString(16);
      return s;
    },
  },
  dateTime: { type: 'string', draw: (r, base) => isoSeconds(instantMs(r, base)) },
  date: { type: 'string', draw: (r, base) => new Date(instantMs(r, base)).toISOString().slice(0, 10) },
  time: { type: 'string', draw: (r) => pad2(Math.floor(r() * 24)) + ':' + pad2(Math.floor(r() * 60)) + ':' + pad2(Math.floor(r() * 60)) + 'Z' },
  duration: { type: 'string', draw: (r) => 'P' + Math.floor(r() * 30) + 'DT' + Math.floor(r() * 24) + 'H' + Math.floor(r() * 60) + 'M' },
  epochMillis: { type: 'integer', draw: (r, base) => instantMs(r, base) + Math.floor(r() * 1000) },
  byte: {
    type: 'string',
    draw: (r) => {
      // base64 of 6..24 bytes: always a multiple of 3 bytes, so never padding
      let s = '';
      const n = 2 + Math.floor(r() * 7);
      for (let i = 0; i < n; i++) s += chars(r, B64, 4);
      return s;
    },
  },
  password: { type: 'string', draw: (r) => chars(r, ALNUM, 12 + Math.floor(r() * 8)) },
  jsonPointer: { type: 'string', draw: (r) => '/' + slug(pick(r, searchNouns)) + '/' + Math.floor(r() * 10) },
  relativeJsonPointer: { type: 'string', draw: (r) => Math.floor(r() * 3) + '/' + slug(pick(r, searchNouns)) },
  uriTemplate: { type: 'string', draw: (r) => 'https://' + hostname(r) + '/' + slug(pick(r, searchNouns)) + '/{id}' },
  regex: { type: 'string', draw: (r) => '^' + slug(pick(r, searchNouns)) + '-[0-9]{' + (1 + Math.floor(r() * 6)) + '}$' },
  word: { type: 'string', draw: (r) => pick(r, searchNouns) },
  sentence: { type: 'string', draw: (r) => words(r, 2 + Math.floor(r() * 4)) },
  price: { type: 'number', draw: (r) => Math.round((1 + r() * 499) * 100) / 100 },
  quantity: { type: 'integer', draw: (r) => 1 + Math.floor(r() * 10) },
  age: { type: 'integer', draw: (r) => 18 + Math.floor(r() * 72) },
  latitude: { type: 'number', draw: (r) => Math.round((r() * 180 - 90) * 1e6) / 1e6 },
  longitude: { type: 'number', draw: (r) => Math.round((r() * 360 - 180) * 1e6) / 1e6 },
  percent: { type: 'number', draw: (r) => Math.round(r() * 10000) / 100 },
};

/** The generator each JSON Schema / OpenAPI string `format` maps to. */
export const FORMAT_VALUES: Readonly<Record<string, string>> = {
  email: 'email', 'idn-email': 'email', uri: 'url', url: 'url', iri: 'url', 'uri-reference': 'url', 'iri-reference': 'url',
  uuid: 'uuid', date: 'date', 'date-time': 'dateTime', time: 'time', duration: 'duration',
  ipv4: 'ipv4', ipv6: 'ipv6', hostname: 'hostname', 'idn-hostname': 'hostname', byte: 'byte', password: 'password',
  'json-pointer': 'jsonPointer', 'relative-json-pointer': 'relativeJsonPointer', 'uri-template': 'uriTemplate', regex: 'regex',
};

/**
 * Lengthens a value of a format to at least `n` characters, keeping it valid (for `minLength`
 * above the format's usual length). Formats of fixed length (uuid, date...) have none.
 */
export const FORMAT_PADDERS: Readonly<Record<string, (v: string, n: number) => string>> = {
  email: (v, n) => (v.length >= n ? v : v.replace('@', '0'.repeat(Math.min(n - v.length, 60)) + '@')),
  url: (v, n) => (v.length >= n ? v : v + '/' + 'a'.repeat(n - v.length)),
  hostname: (v, n) => {
    while (v.length < n) v = 'a'.repeat(Math.min(62, Math.max(1, n - v.length - 1))) + '.' + v;
    return v;
  },
  byte: (v, n) => (v.length >= n ? v : v + 'AAAA'.repeat(Math.ceil((n - v.length) / 4))),
  password: (v, n) => (v.length >= n ? v : v + 'x'.repeat(n - v.length)),
};

/** Short phrase of words from the faker slice, exactly `length` characters (no edge spaces). */
export function phraseOfLength(r: Prng, length: number): string {
  if (length <= 0) return '';
  let s = pick(r, searchNouns);
  while (s.length < length) s += ' ' + pick(r, searchNouns);
  s = s.slice(0, length);
  if (s.endsWith(' ')) s = s.slice(0, -1) + 'x';
  return s;
}

/** A phrase of 1..3 words. */
export function shortPhrase(r: Prng): string {
  return words(r, 1 + Math.floor(r() * 3));
}
