/**
 * Short text naming a value in an error message. Attacker input can nest thousands of levels
 * deep, so nothing here recurses without a bound: objects and arrays deeper than a few levels
 * are summarised instead of stringified.
 */
export function describeValue(value: unknown, maxChars = 80): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value.length > maxChars ? value.slice(0, maxChars) : value);
  else if (typeof value !== 'object' || value === null) text = String(value);
  else if (shallow(value, 4)) text = JSON.stringify(value) ?? String(value);
  else text = Array.isArray(value) ? `an array of ${value.length} items nested more than 4 levels deep` : 'an object nested more than 4 levels deep';
  return text.length > maxChars ? text.slice(0, maxChars - 3) + '...' : text;
}

/** True when `value` nests at most `levels` deep and holds few enough members to print. */
function shallow(value: object, levels: number): boolean {
  let budget = 200;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > levels) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (--budget < 0) return false;
      stack.push([child, d + 1]);
    }
  }
  return true;
}
