// formatIsoMs for engines without a JIT (k6's goja, where scripts/buildK6Bundle.mjs puts this file
// in place of isoTime.ts): the text up to the minute is cached as a string and the rest joined
// from three small tables ("ss.", the first two digits of the milliseconds, the last one and
// "Z"); goja pays for every argument and arithmetic step, and a minute's prefix serves many
// events. V8 prefers isoTime.ts's one flat 24-character string.
// Same text (test/core/timeModel.spec.ts compares both with Date#toISOString).

let cachedMinute = NaN;
let cachedPrefix = '';
const floor = Math.floor;
const two = (n: number): string => (n < 10 ? '0' : '') + n;
const SECONDS: string[] = [];
for (let i = 0; i < 60; i++) SECONDS.push(two(i) + '.');
const MS_HIGH: string[] = [];
for (let i = 0; i < 100; i++) MS_HIGH.push(two(i));
const MS_LOW: string[] = [];
for (let i = 0; i < 10; i++) MS_LOW.push(i + 'Z');

/** `Date.prototype.toISOString` for 1970..9999. */
export function formatIsoMs(ms: number): string {
  const minute = floor(ms / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const rem = ms - minute * 60_000;
  const s = floor(rem / 1000);
  const f = rem - s * 1000;
  return cachedPrefix + SECONDS[s]! + MS_HIGH[(f / 10) | 0]! + MS_LOW[f % 10]!;
}
