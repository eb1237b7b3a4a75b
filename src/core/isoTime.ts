// formatIsoMs for engines with a JIT (V8). k6's bundle uses isoTimeNoJit.ts instead (same text;
// scripts/buildK6Bundle.mjs swaps the file).

const DAY_MS = 86_400_000;

let cachedDay = NaN;
let cachedPrefix: number[] = [];
const fc = String.fromCharCode;

/**
 * `Date.prototype.toISOString` for 1970..9999, built flat with String.fromCharCode (cheap to
 * write out later) and with the date part cached, as it rarely changes between events.
 */
export function formatIsoMs(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    const prefix = new Date(day * DAY_MS).toISOString();
    cachedPrefix = [];
    for (let i = 0; i < 11; i++) cachedPrefix.push(prefix.charCodeAt(i));
  }
  let rem = ms - day * DAY_MS;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const s = Math.floor(rem / 1000);
  const f = rem - s * 1000;
  const p = cachedPrefix;
  return fc(
    p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, p[8]!, p[9]!, p[10]!,
    48 + ((h / 10) | 0), 48 + (h % 10), 58, 48 + ((m / 10) | 0), 48 + (m % 10), 58, 48 + ((s / 10) | 0), 48 + (s % 10), 46,
    48 + ((f / 100) | 0), 48 + (((f / 10) | 0) % 10), 48 + (f % 10), 90,
  );
}
