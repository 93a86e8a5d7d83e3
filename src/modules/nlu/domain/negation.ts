/**
 * Which symptoms a question EXCLUDES: "everything except headaches", "other than fatigue",
 * "all symptoms except nausea and dizziness". An exclusion is about the scope of the query, not
 * a symptom described negatively: "couldn't sleep", "no energy" and "did I not sleep" are
 * symptom phrases (the vocabulary reads them as insomnia and fatigue), and "I don't have a
 * headache" is a statement, not an exclusion; none of them is marked here.
 *
 * Decisions (documented for the explain output and the lead):
 * - "without" excludes: "show my entries without the headaches", "days without headaches" (the
 *   days are counted with headache left out of the query).
 * - "with no" excludes ("days with no headaches"); a bare "no" or "not" before a symptom does not.
 * - "besides" excludes only when the question asks about something else: an open set ("what
 *   else besides cough", "any symptoms besides cough", "besides headaches, what did I log") or
 *   another symptom ("besides headaches, did I have nausea"); alone ("how many coughs besides")
 *   it means "in addition" and excludes nothing.
 * - "but" excludes after "everything", "anything", "all" ("everything but headaches"); "but not"
 *   and "and not" exclude what follows ("headaches but not migraines").
 * - A cue excludes the first symptom after it (a few words may come between: "except on days
 *   with headaches") and every symptom listed right after that one ("except headaches, nausea
 *   and dizziness"); the list ends at any other word ("except headaches, and show nausea").
 * - Suffix cues ("headaches excluded", "migraines aside") exclude the symptom just before them.
 */

/** A span of the question, offsets into the original text, `end` exclusive. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export interface ExclusionCue {
  readonly id: string;
  /** Lowercase, matched on the question lowercased (apostrophes folded to "'"). */
  readonly pattern: RegExp;
  /** 'after': excludes what follows the cue; 'before': the symptom right before it. */
  readonly direction: 'after' | 'before';
  /** Only when the question asks about something else (see "besides" above). */
  readonly needsOtherSubject?: boolean;
}

export const EXCLUSION_CUES: readonly ExclusionCue[] = [
  { id: 'except', pattern: /\bexcept(?:\s+for)?\b/g, direction: 'after' },
  { id: 'excluding', pattern: /\bexclud(?:e|es|ing)\b/g, direction: 'after' },
  { id: 'other_than', pattern: /\bother\s+than\b/g, direction: 'after' },
  { id: 'apart_from', pattern: /\b(?:apart|aside)\s+from\b/g, direction: 'after' },
  { id: 'not_counting', pattern: /\bnot\s+(?:counting|including|incl)\b/g, direction: 'after' },
  { id: 'leave_out', pattern: /\b(?:leave|leaving|leav)\s+out\b/g, direction: 'after' },
  {
    id: 'ignoring',
    pattern: /\b(?:ignore|ignoring|disregard|disregarding)\b/g,
    direction: 'after',
  },
  { id: 'minus', pattern: /\bminus\b/g, direction: 'after' },
  { id: 'but_not', pattern: /\b(?:but|and)\s+not\b/g, direction: 'after' },
  {
    id: 'all_but',
    pattern: /\b(?:everything|anything|all|nothing|symptoms?)\s+but\b/g,
    direction: 'after',
  },
  { id: 'without', pattern: /\bwithout\b/g, direction: 'after' },
  { id: 'with_no', pattern: /\bwith\s+no\b/g, direction: 'after' },
  { id: 'besides', pattern: /\bbesides\b/g, direction: 'after', needsOtherSubject: true },
  {
    id: 'excluded',
    pattern: /\b(?:excluded|aside(?!\s+from)|not\s+included|left\s+out|ignored)\b/g,
    direction: 'before',
  },
];

/** Words that may stand between a cue and the first symptom it excludes. */
const MAX_WORDS_TO_FIRST = 3;
/** Words that may stand between a suffix cue and the symptom before it. */
const MAX_WORDS_FROM_LAST = 1;
/** Sentence punctuation ends a cue's reach. */
const SENTENCE_END = /[.?!;:]/;
/** What may join the symptoms of one excluded list: "headaches, nausea and my dizziness". */
const LIST_GAP =
  /^(?:[\s,&/+]|\b(?:and|or|nor|plus|my|the|any|all|also|either|neither|a|an|of|for|bad|mild|severe)\b)*$/;
/** The question asks about an open set: "what else", "any other symptoms", "everything". */
const OPEN_SET =
  /\b(?:else|other|others|everything|anything|all|symptoms|what|which|whatever|rest)\b/;

export interface Exclusion {
  /** Aligned with the mentions given: true for the ones the person excluded. */
  readonly negated: boolean[];
  /** The cues that excluded something, for explain. */
  readonly cues: readonly { readonly id: string; readonly start: number; readonly end: number }[];
}

/** The question lowercased with offsets preserved, curly apostrophes straightened. */
function lowercaseKeepingOffsets(text: string): string {
  let result = '';
  for (const char of text) {
    const lower = char === '\u2019' || char === '\u2018' ? "'" : char.toLowerCase();
    result += lower.length === char.length ? lower : char;
  }
  return result;
}

function wordCount(gap: string): number {
  return gap.split(/[^a-z0-9']+/).filter((w) => w !== '').length;
}

/**
 * Which mentions the question excludes, with the cues that did it. `mentions` are spans of the
 * symptoms found in `text` (e.g. from `SymptomVocabulary.findMentions`), in any order.
 */
export function readExclusions(text: string, mentions: readonly TextSpan[]): Exclusion {
  const negated = mentions.map(() => false);
  const cues: { id: string; start: number; end: number }[] = [];
  if (mentions.length === 0) return { negated, cues };
  const lower = lowercaseKeepingOffsets(text);
  const order = mentions.map((_, i) => i).sort((a, b) => mentions[a].start - mentions[b].start);
  const inMention = (start: number, end: number): boolean =>
    mentions.some((m) => start < m.end && m.start < end);

  for (const cue of EXCLUSION_CUES) {
    for (const match of lower.matchAll(cue.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (inMention(start, end)) continue;
      const excluded =
        cue.direction === 'after'
          ? excludedAfter(lower, mentions, order, end)
          : excludedBefore(lower, mentions, order, start);
      if (excluded.length === 0) continue;
      if (cue.needsOtherSubject && !asksAboutSomethingElse(lower, mentions, excluded)) {
        continue;
      }
      for (const i of excluded) negated[i] = true;
      cues.push({ id: cue.id, start, end });
    }
  }
  cues.sort((a, b) => a.start - b.start);
  return { negated, cues };
}

/** True for the mentions the person excluded ("everything except headaches"), in input order. */
export function markNegated(text: string, mentions: readonly TextSpan[]): boolean[] {
  return readExclusions(text, mentions).negated;
}

/** The first mention after `from` within reach, and the mentions listed right after it. */
function excludedAfter(
  lower: string,
  mentions: readonly TextSpan[],
  order: readonly number[],
  from: number,
): number[] {
  const firstAt = order.findIndex((i) => mentions[i].start >= from);
  if (firstAt < 0) return [];
  const gap = lower.slice(from, mentions[order[firstAt]].start);
  if (SENTENCE_END.test(gap) || wordCount(gap) > MAX_WORDS_TO_FIRST) return [];
  const excluded = [order[firstAt]];
  for (let k = firstAt + 1; k < order.length; k++) {
    const between = lower.slice(mentions[order[k - 1]].end, mentions[order[k]].start);
    if (!LIST_GAP.test(between)) break;
    excluded.push(order[k]);
  }
  return excluded;
}

/** The mention just before a suffix cue ("headaches excluded"). */
function excludedBefore(
  lower: string,
  mentions: readonly TextSpan[],
  order: readonly number[],
  to: number,
): number[] {
  const before = order.filter((i) => mentions[i].end <= to);
  const last = before[before.length - 1];
  if (last === undefined) return [];
  const gap = lower.slice(mentions[last].end, to);
  if (SENTENCE_END.test(gap) || wordCount(gap) > MAX_WORDS_FROM_LAST) return [];
  return [last];
}

/** For "besides": the question names another symptom, or asks about an open set. */
function asksAboutSomethingElse(
  lower: string,
  mentions: readonly TextSpan[],
  excluded: readonly number[],
): boolean {
  if (mentions.some((_, i) => !excluded.includes(i))) return true;
  let rest = lower;
  for (const i of excluded) {
    const { start, end } = mentions[i];
    rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  }
  return OPEN_SET.test(rest);
}
