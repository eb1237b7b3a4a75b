// formatIsoMs for engines without a JIT (k6's goja, where scripts/buildK6Bundle.mjs puts this file
// in place of isoTime.ts): the text up to the minute is cached as a string and the rest made
// with a 7-argument String.fromCharCode; goja pays for every argument and arithmetic step, and
// a minute's prefix serves many events. V8 prefers isoTime.ts's one flat 24-character string.
// Same text (test/core/timeModel.spec.ts compares both with Date#toISOString).

let cachedMinute = NaN;
let cachedPrefix = '';
const fc = String.fromCharCode;
const floor = Math.floor;

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
  return cachedPrefix + fc(48 + ((s / 10) | 0), 48 + (s % 10), 46, 48 + ((f / 100) | 0), 48 + (((f / 10) | 0) % 10), 48 + (f % 10), 90);
}
