/**
 * The intent classifier: weighted cue patterns (`intent-rules.ts`), added up per intent, with a
 * few explainable steps between the matches and the scores. Pure and synchronous; the patterns
 * are compiled once, when the rules module loads.
 *
 * Steps, in order:
 *  1. Normalise: lowercase, strip accents and apostrophes, punctuation to spaces, fold typos and
 *     text-speak of cue words ("hw many" -> "how many", "sumarry" -> "summary").
 *  2. Match every cue whose conditions (symptom / time / two periods) the signals meet.
 *  3. Small talk yields: greeting, thanks and help cues are dropped when the message also has a
 *     specific diary, advice or off-topic cue, or names a symptom ("thanks! and how many
 *     headaches last week?" is a count); a greeting also yields to thanks and help ("hello!
 *     what can you do?" is a help question).
 *  4. Generic cues ("entries", "when did I have ...", "any") are dropped when another intent has
 *     a specific cue.
 *  5. Overrides: a matched cue rules out the intents it names ("most common" rules out count).
 *  6. Anchor: a question with no symptom, no time, no word of the person's own and no pointer at
 *     the conversation's period ("how many people live in Paris") scales diary cues by
 *     NO_ANCHOR_FACTOR and gives `unknown` NO_ANCHOR_UNKNOWN.
 *  7. Score of an intent = its strongest cue + SECONDARY_CUE_FACTOR x the sum of its other cues.
 *  8. No cue left: the default readings (DEFAULT_SCORES): a symptom -> count, a bare time ->
 *     summary, nothing -> unknown.
 *
 * Confidence = best / (best + runnerUp + 1), rounded to two decimals.
 *   The best score's share of all the evidence, with one unit of "none of these" as a prior: a
 *   single naming cue (3) alone gives 0.75, two agreeing cues (3 + 3) 0.82, a naming cue against
 *   a runner-up hint (3 vs 2) 0.5, the symptom-and-time default (1.5) 0.6, a bare symptom (0.8)
 *   0.44. So >= 0.6 means one clear cue, or a clear winner over a weaker rival; below it the
 *   reply should ask rather than guess.
 *
 * Follow-ups: a message with no cue of its own (small talk aside) that starts with a follow-up
 * lead ("and", "what about", "how about", "same for"), ends with "too"/"as well", points at the
 * period in context ("the week before", "that month"), or is a bare time ("in September?") is
 * `followUp: true`; the caller then keeps the previous turn's intent. `intent` is still the
 * default reading, for a follow-up that has nothing to follow.
 */
import { INTENTS, type Intent } from '../frame';
import {
  CONTEXT_POINTER,
  DEFAULT_SCORES,
  DIARY_ANCHOR,
  FOLLOW_UP_LEAD,
  FOLLOW_UP_TRAILER,
  FULL_QUESTION_START,
  FUZZY_CUE_WORDS,
  FUZZY_GUARD,
  FUZZY_MIN_LENGTH,
  INTENT_CUES,
  type IntentCue,
  NO_ANCHOR_FACTOR,
  NO_ANCHOR_UNKNOWN,
  SECONDARY_CUE_FACTOR,
  SMALL_TALK,
  TYPO_FOLDS,
} from './intent-rules';

export interface IntentSignals {
  /** The question names at least one symptom (negated ones included). */
  hasSymptom: boolean;
  /** The question names a period. */
  hasTime: boolean;
  /** How many periods it names (two or more is a strong sign of `compare`). */
  timeCount: number;
}

export interface IntentResult {
  /** The best intent; 'unknown' when nothing fits. */
  intent: Intent;
  /** 0..1; >= 0.6 means sure enough to answer. */
  confidence: number;
  /** Id(s) of the winning cue(s), joined with '+', for the explain output. */
  rule: string;
  /** Score of every intent that got one, for the explain output. */
  scores: Partial<Record<Intent, number>>;
  /** The text reads as an elliptical follow-up that should inherit the previous intent. */
  followUp: boolean;
}

/** Confidence at or above which a reply answers instead of asking. */
export const CONFIDENCE_THRESHOLD = 0.6;

const TYPO_MAP: ReadonlyMap<string, string> = new Map(Object.entries(TYPO_FOLDS));
const FUZZY_WORDS: ReadonlySet<string> = new Set(FUZZY_CUE_WORDS);
const SMALL_TALK_SET: ReadonlySet<Intent> = new Set(SMALL_TALK);
const NON_DIARY: ReadonlySet<Intent> = new Set<Intent>([...SMALL_TALK, 'advice', 'unknown']);
const INTENT_ORDER: ReadonlyMap<Intent, number> = new Map(INTENTS.map((intent, i) => [intent, i]));

/**
 * V8 compiles a RegExp on its first use and to native code on a later one; running every cue
 * twice here does both at load time (on the order of 100 ms for all of them) instead of during
 * the first questions.
 */
for (const cue of INTENT_CUES) {
  cue.pattern.test('how many headaches did i have last week');
  cue.pattern.test('what should i take for my cough');
}

const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

/** True when a and b are at most one insertion, deletion, substitution or swap apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function isInflection(token: string, word: string): boolean {
  return /^(?:s|d)$/.test(token.replace(word, '')) || /^(?:s|d)$/.test(word.replace(token, ''));
}

function foldToken(token: string): string {
  const folded = TYPO_MAP.get(token);
  if (folded !== undefined) return folded;
  if (token.length < FUZZY_MIN_LENGTH || FUZZY_WORDS.has(token) || FUZZY_GUARD.has(token)) {
    return token;
  }
  for (const word of FUZZY_CUE_WORDS) {
    if (withinOneEdit(token, word) && !isInflection(token, word)) return word;
  }
  return token;
}

/** The form the cue patterns are written for. */
export function normaliseForIntent(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/&/g, ' and ')
    .replace(NON_ALPHANUMERIC, ' ')
    .trim();
  if (plain === '') return '';
  return plain.split(' ').map(foldToken).join(' ');
}

function conditionsMet(cue: IntentCue, signals: IntentSignals): boolean {
  const when = cue.when;
  if (when === undefined) return true;
  if (when.symptom !== undefined && when.symptom !== signals.hasSymptom) return false;
  if (when.time !== undefined && when.time !== signals.hasTime) return false;
  if (when.twoPeriods !== undefined && when.twoPeriods !== signals.timeCount >= 2) return false;
  return true;
}

interface Vote {
  readonly cue: IntentCue;
  readonly weight: number;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function selectCues(text: string, signals: IntentSignals): IntentCue[] {
  let matched = INTENT_CUES.filter((cue) => conditionsMet(cue, signals) && cue.pattern.test(text));

  // 3. Small talk yields to a specific cue of anything else, or to a named symptom.
  const substantive = matched.some((cue) => !SMALL_TALK_SET.has(cue.intent) && !cue.generic);
  if (substantive || signals.hasSymptom) {
    matched = matched.filter((cue) => !SMALL_TALK_SET.has(cue.intent));
  }
  // Greeting yields to anything else ("hello! what can you do?" is a help question).
  if (matched.some((cue) => cue.intent !== 'greeting' && !cue.generic)) {
    matched = matched.filter((cue) => cue.intent !== 'greeting');
  }
  // 4. Generic cues only count when no other intent has a specific one.
  const specific = new Set(matched.filter((cue) => !cue.generic).map((cue) => cue.intent));
  matched = matched.filter(
    (cue) => !cue.generic || [...specific].every((intent) => intent === cue.intent),
  );
  // 5. Overrides.
  const ruledOut = new Set(matched.flatMap((cue) => cue.overrides ?? []));
  return matched.filter((cue) => !ruledOut.has(cue.intent));
}

function vote(cues: readonly IntentCue[], anchored: boolean): Vote[] {
  const votes = cues.map((cue) => ({
    cue,
    weight:
      !anchored && !cue.anchored && !NON_DIARY.has(cue.intent)
        ? cue.weight * NO_ANCHOR_FACTOR
        : cue.weight,
  }));
  if (!anchored && cues.some((cue) => !NON_DIARY.has(cue.intent))) {
    votes.push({
      cue: {
        id: 'unknown:no-diary-anchor',
        intent: 'unknown',
        weight: NO_ANCHOR_UNKNOWN,
        pattern: /^/,
      },
      weight: NO_ANCHOR_UNKNOWN,
    });
  }
  return votes;
}

interface Tally {
  readonly intent: Intent;
  readonly score: number;
  readonly rule: string;
}

function tally(votes: readonly Vote[]): Tally[] {
  const byIntent = new Map<Intent, Vote[]>();
  for (const v of votes) {
    const list = byIntent.get(v.cue.intent) ?? [];
    list.push(v);
    byIntent.set(v.cue.intent, list);
  }
  const tallies: Tally[] = [];
  for (const [intent, list] of byIntent) {
    list.sort((a, b) => b.weight - a.weight);
    const total = list.reduce((sum, v) => sum + v.weight, 0);
    const score = list[0].weight + SECONDARY_CUE_FACTOR * (total - list[0].weight);
    tallies.push({ intent, score, rule: list.map((v) => v.cue.id).join('+') });
  }
  return tallies.sort(
    (a, b) =>
      b.score - a.score || (INTENT_ORDER.get(a.intent) ?? 0) - (INTENT_ORDER.get(b.intent) ?? 0),
  );
}

function defaultReading(signals: IntentSignals, elliptical: boolean): Tally {
  if (signals.hasSymptom) {
    return signals.hasTime
      ? { intent: 'count', score: DEFAULT_SCORES.symptomAndTime, rule: 'default:symptom-and-time' }
      : { intent: 'count', score: DEFAULT_SCORES.symptomOnly, rule: 'default:symptom' };
  }
  if (signals.hasTime && elliptical) {
    return { intent: 'summary', score: DEFAULT_SCORES.timeOnly, rule: 'default:time' };
  }
  return { intent: 'unknown', score: DEFAULT_SCORES.nothing, rule: 'default:nothing' };
}

/**
 * Classifies a question. `signals` come from the other extractors (symptoms, time expressions)
 * run on the same text.
 */
export function classifyIntent(text: string, signals: IntentSignals): IntentResult {
  const normalised = normaliseForIntent(text);
  const smallTalkMatched = INTENT_CUES.some(
    (cue) =>
      SMALL_TALK_SET.has(cue.intent) && conditionsMet(cue, signals) && cue.pattern.test(normalised),
  );
  const cues = selectCues(normalised, signals);
  const anchored =
    signals.hasSymptom ||
    signals.hasTime ||
    DIARY_ANCHOR.test(normalised) ||
    CONTEXT_POINTER.test(normalised);
  const tallies = tally(vote(cues, anchored));

  const ownCue = cues.some((cue) => !SMALL_TALK_SET.has(cue.intent));
  const onlySmallTalk = smallTalkMatched && !signals.hasSymptom && !signals.hasTime;
  const elliptical =
    FOLLOW_UP_LEAD.test(normalised) ||
    ((signals.hasSymptom || signals.hasTime) && FOLLOW_UP_TRAILER.test(normalised)) ||
    CONTEXT_POINTER.test(normalised) ||
    (signals.hasTime && !signals.hasSymptom && !FULL_QUESTION_START.test(normalised));
  const followUp = !ownCue && !onlySmallTalk && elliptical;

  const best: Tally | undefined = tallies[0];
  const winner = best ?? defaultReading(signals, elliptical);
  const runnerUp = best === undefined ? 0 : (tallies[1]?.score ?? 0);
  const scores: Partial<Record<Intent, number>> = {};
  for (const t of best === undefined ? [winner] : tallies) scores[t.intent] = round2(t.score);

  return {
    intent: winner.intent,
    confidence: round2(winner.score / (winner.score + runnerUp + 1)),
    rule: followUp ? `follow-up+${winner.rule}` : winner.rule,
    scores,
    followUp,
  };
}
