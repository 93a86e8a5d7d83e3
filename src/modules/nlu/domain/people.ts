/** A person of the household named in a question. */
export interface PersonMention {
  readonly name: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The first household member a question names ("is Mia's fatigue getting better", "what did Ben
 * log yesterday"), matched as a whole word, any case, possessive or not. `people` are the names
 * as the diary writes them; names of two letters or fewer are ignored (too easily a word).
 */
export function findPerson(text: string, people: readonly string[]): PersonMention | null {
  let best: PersonMention | null = null;
  for (const name of people) {
    if (name.trim().length < 3) continue;
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])${escape(name.trim())}(?:['’]s|s['’])?(?![\\p{L}\\p{N}])`,
      'iu',
    );
    const match = pattern.exec(text);
    if (match && (best === null || match.index < best.start)) {
      best = { name, text: match[0], start: match.index, end: match.index + match[0].length };
    }
  }
  return best;
}
