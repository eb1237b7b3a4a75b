/**
 * Nesting depth of a JSON-like value (a scalar is 0, `{}` and `[]` are 1), counted without
 * recursion and without looking further than `max + 1` levels: safe on hostile input (a body,
 * a stored record or a schema nested 100,000 deep), so callers refuse it before anything that
 * recurses (comparison, serialization, error messages) sees it.
 */
export function jsonDepth(value: unknown, max: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (depth > max) return depth;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth]);
    }
  }
  return deepest;
}
