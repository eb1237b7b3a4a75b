// formatIsoMs for engines with a JIT (V8). k6's bundle uses isoTimeNoJit.ts instead (same text;
// scripts/buildK6Bundle.mjs swaps the file).

const DAY_MS = 86_400_000;

let cachedDay = NaN;
// The date part's 11 char codes; an Int32Array reads back as small integers with no checks.
const prefix = new Int32Array(11);
const fc = String.fromCharCode;

/**
 * `Date.prototype.toISOString` for 1970..9999, built flat with String.fromCharCode (cheap to
 * write out later) and with the date part cached, as it rarely changes between events. Within
 * a day every figure fits 32 bits, so the time of day is taken apart with integer arithmetic
 * (measured 0.70x the time of the floating-point version).
 */
export function formatIsoMs(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    const text = new Date(day * DAY_MS).toISOString();
    for (let i = 0; i < 11; i++) prefix[i] = text.charCodeAt(i);
  }
  let rem = (ms - day * DAY_MS) | 0;
  const h = (rem / 3_600_000) | 0;
  rem -= h * 3_600_000;
  const m = (rem / 60_000) | 0;
  rem -= m * 60_000;
  const s = (rem / 1000) | 0;
  const f = rem - s * 1000;
  const h1 = (h / 10) | 0;
  const m1 = (m / 10) | 0;
  const s1 = (s / 10) | 0;
  const f1 = (f / 100) | 0;
  const f10 = (f / 10) | 0;
  const p = prefix;
  return fc(
    p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, p[8]!, p[9]!, p[10]!,
    48 + h1, 48 + h - h1 * 10, 58, 48 + m1, 48 + m - m1 * 10, 58, 48 + s1, 48 + s - s1 * 10, 46,
    48 + f1, 48 + f10 - f1 * 10, 48 + f - f10 * 10, 90,
  );
}
