import { consonantSubstitutions, editDistance } from './edit-distance';

/** Textbook optimal-string-alignment distance over the full matrix, to check against. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** A small deterministic generator (LCG), so failures can be reproduced. */
function randomStrings(seed: number, count: number): [string, string][] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const word = (): string => Array.from({ length: next(8) }, () => 'abcd'[next(4)]).join('');
  return Array.from({ length: count }, () => [word(), word()]);
}

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 1],
    ['tierd', 'tired', 1],
    ['hedache', 'headache', 1],
    ['diarhea', 'diarrhea', 1],
    ['palpatations', 'palpitations', 1],
    ['dizzyness', 'dizziness', 1],
    ['ca', 'abc', 3], // optimal string alignment: no substring is edited twice
  ])('between %j and %j is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('returns max + 1 as soon as the bound is exceeded', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('headphones', 'headache', 1)).toBe(2);
    expect(editDistance('a', 'b', 0)).toBe(1);
    expect(editDistance('a', 'a', 0)).toBe(0);
  });

  it('agrees with the full-matrix distance, bounded or not', () => {
    for (const [a, b] of randomStrings(42, 3000)) {
      const expected = reference(a, b);
      expect(editDistance(a, b)).toBe(expected);
      for (let max = 0; max <= 4; max++) {
        expect(editDistance(a, b, max)).toBe(expected <= max ? expected : max + 1);
      }
    }
  });
});

describe('consonantSubstitutions', () => {
  it.each([
    ['nausia', 'nausea', 0],
    ['hedache', 'headache', 0],
    ['dizzyness', 'dizziness', 0],
    ['tierd', 'tired', 0],
    ['couch', 'cough', 1],
    ['chili', 'chill', 1],
    ['fatique', 'fatigue', 1],
    ['diahhrea', 'diarrhea', 1], // one swap of h for r, then 'hr' transposed
    ['same', 'same', 0],
  ])('between %j and %j is %d', (a, b, count) => {
    expect(consonantSubstitutions(a, b)).toBe(count);
  });

  it('prefers an alignment without substitutions when one is as cheap', () => {
    // 'hr' -> 'rh' by a deletion and an insertion costs 2, as two substitutions would.
    expect(consonantSubstitutions('diahrrea', 'diarrhea')).toBe(0);
  });
});
