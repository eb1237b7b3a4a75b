/**
 * The candidate closest to `name` by edit distance (Levenshtein, one edit = insert, delete or
 * substitute a character), or undefined when none is close enough to be a likely typo: at most
 * 2 edits and less than half of the name's length. Ties go to the earlier candidate, so the
 * answer depends only on the inputs' order. Used by "did you mean" hints for unknown names and
 * keys.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor((name.length - 1) / 2)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) >= bestDistance) continue;
    const d = editDistance(name, c, bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // Case-only differences ("Balance" for "balance") are always worth a hint.
  if (best === undefined) {
    const lower = name.toLowerCase();
    for (const c of candidates) if (c.toLowerCase() === lower) return c;
  }
  return best;
}

/** Levenshtein distance of a and b; any value >= cap is reported as cap (early exit). */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (a === b) return 0;
  let prev: number[] = [];
  for (let j = 0; j <= b.length; j++) prev.push(j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return Math.min(prev[b.length]!, cap);
}

/** `; did you mean "x"?` when a near name exists, else the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`;
}
