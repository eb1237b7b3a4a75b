import { type Prng, standardNormal } from './prng.js';

const DAY_MS = 86_400_000;
const { round, exp } = Math; // bound once: cheaper in goja (k6) than a global lookup per call
/** 2025-01-01T00:00:00.000Z: the default start, so the same seed gives the same bytes. */
export const DEFAULT_START_MS = 1_735_689_600_000;
/** 9999-12-31T23:59:59.999Z, the last instant an ISO-8601 timestamp with a 4-digit year holds. */
export const MAX_MS = 253_402_300_799_999;
/** Latest session start: a year before {@link MAX_MS}, so no session can run past it. */
export const LATEST_SESSION_START_MS = MAX_MS - 365 * DAY_MS;

/** Think time in whole ms (>= 1 so timestamps strictly increase). */
export function thinkTimeMs(r: Prng, medianMs: number, sigma: number): number {
  const ms = round(medianMs * exp(sigma * standardNormal(r)));
  return ms < 1 ? 1 : ms;
}

// Relative traffic by hour of day (UTC) and day of week (0 = Sunday): evening peak, quiet
// nights, busier weekends; shaped after public e-commerce traffic curves.
const HOURLY = [0.25, 0.16, 0.11, 0.09, 0.09, 0.13, 0.24, 0.42, 0.6, 0.72, 0.8, 0.86, 0.92, 0.9, 0.88, 0.88, 0.9, 0.95, 1.0, 1.0, 0.97, 0.85, 0.62, 0.4];
const WEEKDAY = [1.0, 0.86, 0.84, 0.85, 0.87, 0.92, 0.98];

/** Activity weight (max 1) of an instant under the daily/weekly curve. */
export function activityAt(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const hour = Math.floor((ms - day * DAY_MS) / 3_600_000);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return HOURLY[hour]! * WEEKDAY[(weekday + 7) % 7]!;
}

/** An offset in [0, periodMs) drawn with density proportional to the activity curve (rejection sampling). */
export function activityOffset(r: Prng, startMs: number, periodMs: number): number {
  let t = 0;
  for (let tries = 0; tries < 64; tries++) {
    t = Math.floor(r() * periodMs);
    if (r() < activityAt(startMs + t)) return t;
  }
  return t;
}

export { formatIsoMs } from './isoTime.js';

/** Whether `ms` is an instant the timestamps can represent. */
export function isRepresentableMs(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_MS;
}
