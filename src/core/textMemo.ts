/**
 * A pure string function with its answers remembered, up to `limit` distinct inputs (then it
 * only computes). For text a domain derives again and again from a small vocabulary, such as a
 * department's slug or a search query's URL encoding: a Map lookup costs less than a regular
 * expression or `encodeURIComponent`. The answer never depends on the memo, only the time.
 */
export function textMemo(f: (s: string) => string, limit: number): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let v = known.get(s);
    if (v === undefined) {
      v = f(s);
      if (known.size < limit) known.set(s, v);
    }
    return v;
  };
}
