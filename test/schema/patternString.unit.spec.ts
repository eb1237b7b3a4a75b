// Pattern strings: every choice from our PRNG, classes, alternations, repeats, backreferences.
import assert from 'node:assert/strict';
import { compilePattern } from '../../src/core/schema/patternString.js';
import { derivePrng } from '../../src/core/prng.js';

const draws = (pattern: string, n: number, minLength = 0): string[] => {
  const p = compilePattern(pattern, '#/pattern', minLength);
  const r = derivePrng('pattern-test', pattern);
  return Array.from({ length: n }, () => p.draw(r));
};

describe('schema: pattern strings', () => {
  it('draws strings that match, the same ones for the same PRNG', () => {
    for (const pattern of ['^[A-Z]{3}-\\d{4}$', '^(foo|bar)+[a-z]*$', '\\w+@example\\.com', '^[^a-z]{2,}$', '^\\S+\\s\\D$', '[.]x{2,5}', '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$']) {
      const xs = draws(pattern, 300);
      const re = new RegExp(pattern, 'u');
      assert.ok(xs.every((x) => re.test(x)), `${pattern}: ${xs.find((x) => !re.test(x))}`);
      assert.deepEqual(draws(pattern, 300), xs);
      assert.ok(new Set(xs).size >= 4, pattern); // [.]x{2,5} has exactly 4 strings
    }
  });

  it('a class with no printable ASCII draws from itself; backreferences repeat their group', () => {
    const accented = draws('^[à-ÿ]{3}$', 50);
    assert.ok(accented.every((x) => /^[à-ÿ]{3}$/u.test(x)), accented.join(','));
    const refs = draws('^(ab|c)-\\1$', 20);
    assert.ok(refs.every((x) => x === 'ab-ab' || x === 'c-c'), refs.join(','));
    assert.ok(refs.includes('ab-ab') && refs.includes('c-c'));
  });

  it('open repeats grow with minLength so that long minimums are reachable', () => {
    assert.ok(draws('^[a-z]+$', 50).every((x) => x.length <= 9));
    assert.ok(draws('^[a-z]+$', 50, 30).some((x) => x.length >= 30));
  });

  it('known first draws for a fixed PRNG (a change here changes every pattern value)', () => {
    assert.deepEqual(draws('^[A-Z]{3}-[0-9]{5}$', 3), FIRST_SKUS);
  });
});

const FIRST_SKUS: string[] = ['PXY-03649', 'HLP-95533', 'PLV-30870'];
