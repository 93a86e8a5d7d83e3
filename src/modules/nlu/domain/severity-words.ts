import type { SeverityFilter } from './frame';

/**
 * Words of a question that describe the entries wanted by their severity (0-10 in the diary):
 * "how many bad headaches" (min 7), "mild back pain days" (max 3), "moderate ones" (4..6),
 * "above 5" (min 6), "at least 8 out of 10" (min 8), "under 3" (max 2).
 *
 * A question ABOUT severity names no filter: "how bad was my back pain", "how severe has it
 * been", "what was the average severity", "worst my joints have hurt", "was it bad?". Neither
 * do comparisons ("getting worse", "as bad as"), negated words ("not so bad") and severity words
 * inside a symptom's name ("bad back", "bad sleep": pass the symptom spans as `ignore`).
 *
 * Decisions: bounds are read strictly on the integer scale ("above 5" is min 6, "under 3" max
 * 2; "at least 8", "8 or more" min 8). A predicative word ("headaches that were severe") is a
 * filter only in a question that counts or lists ("how many headaches were severe"); "was my
 * headache severe?" asks about severity. Numbers count as severity only when nothing says they
 * count something else ("over 7 headaches", "more than 3 times" are not severities); "more
 * than" / "less than" need a word about severity nearby ("severity more than 5", "more than
 * 5/10").
 */

export interface SeverityReading {
  readonly filter: SeverityFilter | null;
  /** The words the filter was read from, as written, and their span. */
  readonly text?: string;
  readonly start?: number;
  readonly end?: number;
  /** Which rule read it, for explain. */
  readonly rule?: string;
}

export interface SeverityWordRule {
  readonly id: string;
  /** Lowercase; matched on whole words of the question lowercased. */
  readonly pattern: RegExp;
  readonly filter: SeverityFilter;
}

const MILD: SeverityFilter = { min: null, max: 3 };
const MODERATE: SeverityFilter = { min: 4, max: 6 };
const SEVERE: SeverityFilter = { min: 7, max: null };

/** Severity words, most specific first (ranges before single words). */
export const SEVERITY_WORD_RULES: readonly SeverityWordRule[] = [
  {
    id: 'mild_to_moderate',
    pattern: /\b(?:mild|slight)\s+(?:to|or|and)\s+moderate\b/g,
    filter: { min: null, max: 6 },
  },
  {
    id: 'moderate_to_severe',
    pattern: /\bmoderate\s+(?:to|or|and)\s+(?:severe|bad)\b/g,
    filter: { min: 4, max: null },
  },
  {
    id: 'severe',
    pattern:
      /\b(?:(?:really|very|pretty|quite|super|extremely|so)\s+)?(?:severe|severely|bad|badly|terrible|terribly|awful|awfully|horrible|horrendous|intense|strong|extreme|excruciating|unbearable|debilitating|crippling|agonising|agonizing|nasty|serious|brutal|killer)\b/g,
    filter: SEVERE,
  },
  { id: 'moderate', pattern: /\b(?:moderate|moderately|medium)\b/g, filter: MODERATE },
  { id: 'mild', pattern: /\b(?:mild|mildly|slight|slightly|minor|light-?ish)\b/g, filter: MILD },
];

/** Comparators before a number: "above 5", "at least 8". `strict`: the bound excludes N. */
interface NumberRule {
  readonly id: string;
  readonly pattern: RegExp;
  readonly bound: 'min' | 'max';
  readonly strict: boolean;
  /** Only with a word about severity nearby ("more than 5" may count anything). */
  readonly needsContext: boolean;
}

const N = String.raw`(\d{1,2})(?:\s*(?:\/\s*10|out\s+of\s+(?:10|ten)))?`;

export const SEVERITY_NUMBER_RULES: readonly NumberRule[] = [
  {
    id: 'n_or_more',
    pattern: new RegExp(
      String.raw`\b${N}\s*(?:or|and)\s+(?:more|higher|above|up|over|worse)\b|\b${N}\s*\+`,
      'g',
    ),
    bound: 'min',
    strict: false,
    needsContext: false,
  },
  {
    id: 'n_or_less',
    pattern: new RegExp(String.raw`\b${N}\s*(?:or|and)\s+(?:less|lower|below|under)\b`, 'g'),
    bound: 'max',
    strict: false,
    needsContext: false,
  },
  {
    id: 'above',
    pattern: new RegExp(String.raw`(?:\b(?:above|over|exceeding)\s+|>\s*)${N}`, 'g'),
    bound: 'min',
    strict: true,
    needsContext: false,
  },
  {
    id: 'at_least',
    pattern: new RegExp(String.raw`(?:\b(?:at\s+least|minimum(?:\s+of)?|min)\s+|>=\s*)${N}`, 'g'),
    bound: 'min',
    strict: false,
    needsContext: false,
  },
  {
    id: 'more_than',
    pattern: new RegExp(String.raw`\b(?:more|greater|higher|worse)\s+than\s+${N}`, 'g'),
    bound: 'min',
    strict: true,
    needsContext: true,
  },
  {
    id: 'below',
    pattern: new RegExp(String.raw`(?:\b(?:below|under|beneath)\s+|<\s*)${N}`, 'g'),
    bound: 'max',
    strict: true,
    needsContext: false,
  },
  {
    id: 'at_most',
    pattern: new RegExp(String.raw`(?:\b(?:at\s+most|maximum(?:\s+of)?|max)\s+|<=\s*)${N}`, 'g'),
    bound: 'max',
    strict: false,
    needsContext: false,
  },
  {
    id: 'less_than',
    pattern: new RegExp(String.raw`\b(?:less|lower|milder)\s+than\s+${N}`, 'g'),
    bound: 'max',
    strict: true,
    needsContext: true,
  },
];

/** "severity between 4 and 6", "rated 4-6". */
const BETWEEN = new RegExp(
  String.raw`\bbetween\s+(\d{1,2})\s+and\s+${N}|\b(\d{1,2})\s*(?:-|to)\s*${N}`,
  'g',
);
/** An exact level: "rated 8", "severity of 8", "8/10 headaches". */
const EXACT = new RegExp(
  String.raw`\b(?:rated|rating(?:\s+of)?|severity(?:\s+(?:of|level))?|level)\s+(\d{1,2})\b(?:\s*(?:\/\s*10|out\s+of\s+(?:10|ten)))?|\b(\d{1,2})\s*(?:\/\s*10|out\s+of\s+(?:10|ten))`,
  'g',
);

/** Words that make a number a severity: "severity above 5", "pain level over 6". */
const SEVERITY_CONTEXT =
  /\b(?:sever\w*|rated|rating|ratings|score[ds]?|level|levels|intensity|scale|out\s+of\s+(?:10|ten))\b|\/\s*10/;
/** After a number, a word saying it counts something else: "over 7 headaches", "3 times". */
const COUNTED_AFTER = /^\s*(?:[a-z]+)/;
/** Words that may follow a severity number without making it a count. */
const FREE_AFTER = new Set([
  ...['and', 'or', 'in', 'on', 'at', 'for', 'last', 'this', 'past', 'during', 'since', 'from'],
  ...['with', 'but', 'the', 'my', 'yesterday', 'today', 'severity', 'rating', 'please', 'only'],
  ...['before', 'after', 'over', 'recently', 'lately', 'then', 'so', 'ever', 'out', 'of'],
]);

/** Words after a severity word showing it ends the phrase: "was it bad enough to", "bad when". */
const FOLLOWING_PREDICATE = new Set([
  ...['enough', 'when', 'if', 'to', 'that', 'it', 'they', 'again', 'now', 'overall', 'week'],
  ...['month', 'year', 'night', 'morning', 'evening', 'at', 'these', 'those', 'as', 'than'],
]);

/** Questions that count or list entries: in them, "were severe" is a filter. */
const COUNTING_QUESTION =
  /\b(?:how\s+many|how\s+often|number\s+of|count|list|show|which|what\s+days|days|times|ones|entries)\b/;
/** Before a severity word: the question asks about severity ("how bad"), or negates it. */
const ASKS_ABOUT_IT = /\bhow\s+(?:(?:very|really|so|too)\s+)?$/;
const NEGATED =
  /\b(?:not|never|isnt|wasnt|werent|arent|isn't|wasn't|weren't|aren't|no)\s+(?:(?:so|too|that|very|really|as|particularly)\s+)?$/;
/** Before a severity word: it is said of something already named (predicative). */
const PREDICATIVE =
  /\b(?:is|are|was|were|been|be|being|feel|feels|felt|feeling|get|gets|got|getting|seem|seems|seemed|become|became|its|it's|they're|theyre)\s+(?:(?:so|too|very|really|quite|pretty|that|as)\s+)?$/;
/** "bad" in a symptom's name: "bad back", "bad sleep", "bad temper" (also caught via `ignore`). */
const BAD_IN_A_NAME =
  /^\s*(?:back(?!\s+(?:pain|ache|aches|spasms?|problems?)\b)|sleep|temper|tempered|mood|breath)\b/;

/** Lowercase with offsets preserved. */
function lowercase(text: string): string {
  let result = '';
  for (const char of text) {
    const lower = char === '\u2019' || char === '\u2018' ? "'" : char.toLowerCase();
    result += lower.length === char.length ? lower : char;
  }
  return result;
}

interface Found {
  readonly filter: SeverityFilter;
  readonly start: number;
  readonly end: number;
  readonly rule: string;
}

function inRange(n: number): boolean {
  return n >= 0 && n <= 10;
}

function numbers(lower: string, ignored: (start: number, end: number) => boolean): Found[] {
  const found: Found[] = [];
  const hasContext = SEVERITY_CONTEXT.test(lower);
  for (const match of lower.matchAll(BETWEEN)) {
    const low = Number(match[1] ?? match[3]);
    const high = Number(match[2] ?? match[4]);
    const start = match.index;
    const end = start + match[0].length;
    if (!hasContext || !inRange(low) || !inRange(high) || low > high || ignored(start, end)) {
      continue;
    }
    if (countsSomethingElse(lower, end, match[0])) continue;
    found.push({ filter: { min: low, max: high }, start, end, rule: 'between' });
  }
  for (const rule of SEVERITY_NUMBER_RULES) {
    for (const match of lower.matchAll(rule.pattern)) {
      const n = Number(match[1] ?? match[2]);
      const start = match.index;
      const end = start + match[0].length;
      if (!inRange(n) || ignored(start, end) || (rule.needsContext && !hasContext)) continue;
      if (countsSomethingElse(lower, end, match[0])) continue;
      const value = rule.strict ? (rule.bound === 'min' ? n + 1 : n - 1) : n;
      if (!inRange(value)) continue;
      const filter = rule.bound === 'min' ? { min: value, max: null } : { min: null, max: value };
      found.push({ filter, start, end, rule: rule.id });
    }
  }
  for (const match of lower.matchAll(EXACT)) {
    const n = Number(match[1] ?? match[2]);
    const start = match.index;
    const end = start + match[0].length;
    if (!inRange(n) || ignored(start, end) || countsSomethingElse(lower, end, match[0])) continue;
    // "at least 8 out of 10", "rated 7 or more": the comparator says more than the level.
    if (found.some((f) => start < f.end && f.start < end)) continue;
    found.push({ filter: { min: n, max: n }, start, end, rule: 'exact_level' });
  }
  return found;
}

/** Whether a severity word is followed by the thing it describes ("bad headaches", "mild ones"). */
function describesNextWord(after: string): boolean {
  const next = /^[\s-]*([a-z]+)/.exec(after);
  return next !== null && !FREE_AFTER.has(next[1]) && !FOLLOWING_PREDICATE.has(next[1]);
}

/** A number followed by a noun other than a severity word ("over 7 headaches", "3 times"). */
function countsSomethingElse(lower: string, end: number, matched: string): boolean {
  if (/\/\s*10|out\s+of/.test(matched)) return false;
  const next = COUNTED_AFTER.exec(lower.slice(end));
  return next !== null && !FREE_AFTER.has(next[0].trim());
}

function words(lower: string, ignored: (start: number, end: number) => boolean): Found[] {
  const found: Found[] = [];
  const taken: { start: number; end: number }[] = [];
  const counting = COUNTING_QUESTION.test(lower);
  for (const rule of SEVERITY_WORD_RULES) {
    for (const match of lower.matchAll(rule.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some((t) => start < t.end && t.start < end)) continue;
      taken.push({ start, end });
      if (ignored(start, end)) continue;
      const before = lower.slice(Math.max(0, start - 40), start);
      const after = lower.slice(end, end + 20);
      if (ASKS_ABOUT_IT.test(before) || NEGATED.test(before)) continue;
      if (/\bbad$/.test(match[0]) && BAD_IN_A_NAME.test(after)) continue;
      if (/^\s*as\b/.test(after)) continue;
      const predicative = PREDICATIVE.test(before) || !describesNextWord(after);
      if (predicative && !counting) continue;
      found.push({ filter: rule.filter, start, end, rule: rule.id });
    }
  }
  return found;
}

/**
 * The severity filter a question names, or `{ filter: null }`. `ignore`: spans whose words are
 * not severity words (the symptom mentions: "bad back" is back pain). Numbers win over words;
 * a lower and an upper bound named apart are combined ("above 3 and below 7" is 4..6).
 */
export function readSeverityFilter(
  text: string,
  ignore: readonly { readonly start: number; readonly end: number }[] = [],
): SeverityReading {
  const lower = lowercase(text);
  const ignored = (start: number, end: number): boolean =>
    ignore.some((span) => start >= span.start && end <= span.end);
  const numeric = numbers(lower, ignored);
  const found = numeric.length > 0 ? numeric : words(lower, ignored);
  if (found.length === 0) return { filter: null };
  found.sort((a, b) => a.start - b.start);
  const [first] = found;
  let { min, max } = first.filter;
  let last = first;
  for (const other of found.slice(1)) {
    const combinedMin = min ?? other.filter.min;
    const combinedMax = max ?? other.filter.max;
    if (combinedMin !== null && combinedMax !== null && combinedMin > combinedMax) continue;
    if (
      (min === null && other.filter.min !== null) ||
      (max === null && other.filter.max !== null)
    ) {
      min = combinedMin;
      max = combinedMax;
      last = other;
    }
  }
  const start = first.start;
  const end = Math.max(first.end, last.end);
  return {
    filter: { min, max },
    text: text.slice(start, end),
    start,
    end,
    rule: last === first ? first.rule : `${first.rule}+${last.rule}`,
  };
}
