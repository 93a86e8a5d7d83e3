/**
 * Bounded Damerau-Levenshtein distance, optimal string alignment variant: insertions, deletions,
 * substitutions and transpositions of two adjacent characters each cost 1, and no substring is
 * edited twice ('ca' -> 'abc' is 3, not 2).
 *
 * Returns `max + 1` as soon as the distance is known to exceed `max`, so a caller that only
 * accepts small distances pays for a thin band of the matrix, not all of it. Without `max` the
 * exact distance is returned.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;

  // A shared prefix and suffix never take part in an optimal alignment's edits.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const s = a.slice(start, endA);
  const t = b.slice(start, endB);
  if (s.length === 0) return t.length <= max ? t.length : over;
  if (t.length === 0) return s.length <= max ? s.length : over;

  // Three rolling rows of the (s.length + 1) x (t.length + 1) matrix.
  let previous2 = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  let previousMin = 0;
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    let rowMin = i;
    const si = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      const tj = t.charCodeAt(j - 1);
      const cost = si === tj ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        si === t.charCodeAt(j - 2) &&
        s.charCodeAt(i - 2) === tj &&
        previous2[j - 2] + 1 < value
      ) {
        value = previous2[j - 2] + 1;
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // A cell of the next row costs at least this row's minimum or, through a transposition, the
    // previous row's minimum plus one: once both are past the bound, so is the distance.
    if (rowMin > max && previousMin >= max) return over;
    previousMin = rowMin;
    [previous2, previous, current] = [previous, current, previous2];
  }
  const distance = previous[t.length];
  return distance <= max ? distance : over;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/**
 * Among the cheapest alignments of `a` and `b` (optimal string alignment), the fewest
 * substitutions that are not vowel-for-vowel ('couch' -> 'cough' and 'chili' -> 'chill' have
 * one; 'nausia' -> 'nausea' and 'hedache' -> 'headache' have none). Misspellings mostly drop,
 * double, swap or mix up vowels; words that differ by a consonant are usually other words.
 * 'y' counts as a vowel ('dizzyness').
 */
export function consonantSubstitutions(a: string, b: string): number {
  // Each cell holds [edits, consonant substitutions], compared in that order.
  const rows: [number, number][][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push([i + j, 0]);
        continue;
      }
      const x = a[i - 1];
      const y = b[j - 1];
      const swap = x !== y && !(VOWELS.has(x) && VOWELS.has(y)) ? 1 : 0;
      const options: [number, number][] = [
        [rows[i - 1][j][0] + 1, rows[i - 1][j][1]],
        [row[j - 1][0] + 1, row[j - 1][1]],
        [rows[i - 1][j - 1][0] + (x === y ? 0 : 1), rows[i - 1][j - 1][1] + swap],
      ];
      if (i > 1 && j > 1 && x === b[j - 2] && a[i - 2] === y) {
        options.push([rows[i - 2][j - 2][0] + 1, rows[i - 2][j - 2][1]]);
      }
      row.push(
        options.reduce((best, o) =>
          o[0] < best[0] || (o[0] === best[0] && o[1] < best[1]) ? o : best,
        ),
      );
    }
    rows.push(row);
  }
  return rows[a.length][b.length][1];
}
