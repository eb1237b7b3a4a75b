/** Money in integer cents as a decimal string with two places: 1234 -> "12.34", -5 -> "-0.05". */
export function formatCents(cents: number): string {
  if (cents < 0) return '-' + formatCents(-cents);
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return whole + (frac < 10 ? '.0' : '.') + frac;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Integer cents of a decimal amount: "12.34" -> 1234, "7" -> 700, "0.5" -> 50; a finite number
 * is rounded to the nearest cent (12.345 -> 1235). Anything else (more than two decimals in a
 * string, "12,34", "") is undefined: money is never guessed.
 */
export function parseCents(amount: unknown): number | undefined {
  if (typeof amount === 'number' && Number.isFinite(amount)) return Math.round(amount * 100);
  if (typeof amount === 'string') {
    const m = DECIMAL.exec(amount);
    if (m !== null) {
      const frac = m[3] === undefined ? 0 : m[3].length === 1 ? Number(m[3]) * 10 : Number(m[3]);
      const v = Number(m[2]) * 100 + frac;
      return m[1] === '-' ? -v : v;
    }
  }
  return undefined;
}
