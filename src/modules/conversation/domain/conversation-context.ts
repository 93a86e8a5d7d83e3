import { DIARY_INTENTS, Frame, FrameTimeRange, Intent } from '../../nlu/domain/frame';
import type { ParsedQuestion } from '../../nlu/domain/parsed-question';

/** What a conversation remembers between turns to understand follow-ups. */
export interface ConversationContext {
  /** The last diary question, after its own follow-ups were resolved. */
  readonly frame: Frame;
  /**
   * The period the last answer pointed at, when narrower than the question's: the day of the
   * entry a "when did I last…" found, so that "how bad was it?" asks about that day.
   */
  readonly focus: FrameTimeRange | null;
}

/** Moves a period for "the week before": to = range.from, from = that many units earlier. */
export type RangeShifter = (
  range: { from: Date; to: Date },
  unit: 'day' | 'week' | 'month' | 'year',
  amount: number,
) => { from: Date; to: Date };

export interface Resolution {
  readonly frame: Frame;
  /** Which parts came from the conversation ('intent', 'symptoms', 'timeRange', ...). */
  readonly inherited: readonly string[];
}

/** Intents whose question means nothing without a symptom: they take the one in context. */
const SYMPTOM_BOUND: readonly Intent[] = [
  'count',
  'last_occurrence',
  'first_occurrence',
  'severity',
  'trend',
  'compare',
  'co_occurrence',
];

/** Intents that look at the whole diary unless a period is named or pointed at. */
const WHOLE_DIARY_BY_DEFAULT: readonly Intent[] = ['last_occurrence', 'first_occurrence', 'trend'];

const SMALL_TALK: readonly Intent[] = ['greeting', 'thanks', 'help'];

/** The classifier's confidence for a question that names its intent (intent-classifier.ts). */
const SURE = 0.6;

/** "compare that with…", "is this worse than…": the period in context is the first one. */
const POINTS_BACK = /\b(that|this|it|then)\b/i;

/**
 * Whether a question continues the previous one (and so keeps its period): a fragment, words
 * pointing back ("it", "they"), a question leaning on the earlier symptoms, or the same kind of
 * question again. A new question about its own symptom ("what comes with my migraines?" after
 * "how bad was my back pain last week?") starts afresh.
 */
function continues(
  own: Frame,
  explain: ParsedQuestion['explain'],
  inherited: readonly string[],
  previous: Frame,
): boolean {
  return (
    explain.followUp ||
    explain.anaphora ||
    inherited.includes('symptoms') ||
    inherited.includes('intent') ||
    own.intent === previous.intent ||
    own.symptoms.length === 0
  );
}

/**
 * Applies the conversation to a new question (shared/contracts/nlu.md, "Chat"): a follow-up
 * inherits whatever it does not say itself. "and nausea?" keeps the intent and period and
 * replaces the symptom; "and the week before?" keeps intent and symptoms and moves the period;
 * "how bad was it?" keeps symptoms and period. last/first occurrence and trend questions that
 * name no period search the whole diary, unless they point at one ("that week").
 */
export function resolveWithContext(
  parsed: ParsedQuestion,
  context: ConversationContext | undefined,
  shift: RangeShifter,
): Resolution {
  const own = parsed.frame;
  const explain = parsed.explain;
  if (!context || SMALL_TALK.includes(own.intent) || own.safety.urgent) {
    return { frame: own, inherited: [] };
  }
  const previous = context.frame;
  const inherited: string[] = [];

  // Intent: an elliptical follow-up ("and in September?", "what about vomiting?") or a question
  // with diary content but no intent cue of its own continues the previous question.
  const hasContent =
    own.symptoms.length > 0 || own.timeRange !== null || explain.contextualTime !== null;
  let intent = own.intent;
  let confidence = own.confidence;
  // A question without a cue of its own reads as its default (count) with low confidence.
  const noCue = own.intent === 'unknown' || own.confidence < SURE;
  if (explain.followUp || (noCue && hasContent && previous.intent !== own.intent)) {
    intent = previous.intent;
    confidence = Math.max(confidence, 0.75);
    inherited.push('intent');
  }
  if (!DIARY_INTENTS.includes(intent)) return { frame: { ...own, intent, confidence }, inherited };

  // Symptoms: kept when the question names none and needs one, points back at them ("they",
  // "it"), or is a follow-up fragment. Generic questions ("what did I log yesterday") do not.
  // A phrase that looks like a symptom but cannot be placed is asked about, never replaced.
  let symptoms = own.symptoms;
  if (
    symptoms.length === 0 &&
    previous.symptoms.length > 0 &&
    explain.unplaced.length === 0 &&
    (SYMPTOM_BOUND.includes(intent) || explain.anaphora || explain.followUp)
  ) {
    symptoms = previous.symptoms;
    inherited.push('symptoms');
  }

  // Period.
  let timeRange = own.timeRange;
  let comparisonRange = own.comparisonRange;
  const reference = explain.contextualTime;
  const contextRange = context.focus ?? previous.timeRange;
  if (timeRange === null && reference !== null && previous.timeRange !== null) {
    if (reference.kind === 'shift') {
      const moved = shift(previous.timeRange, reference.unit, reference.amount);
      timeRange = { ...moved, text: reference.text };
    } else {
      timeRange = { ...(contextRange ?? previous.timeRange), text: reference.text };
    }
    inherited.push('timeRange');
  } else if (
    timeRange === null &&
    contextRange !== null &&
    !WHOLE_DIARY_BY_DEFAULT.includes(intent) &&
    continues(own, explain, inherited, previous)
  ) {
    // "how bad was it?" after "when did I last…" asks about the day that answer found.
    timeRange = explain.anaphora && context.focus ? context.focus : previous.timeRange;
    if (timeRange !== null) inherited.push('timeRange');
  }
  if (
    intent === 'compare' &&
    comparisonRange === null &&
    own.timeRange !== null &&
    previous.timeRange !== null &&
    POINTS_BACK.test(explain.text)
  ) {
    // "compare that with last month": the period in context, against the one named.
    timeRange = previous.timeRange;
    comparisonRange = own.timeRange;
    inherited.push('timeRange');
  } else if (intent === 'compare' && comparisonRange === null && previous.intent === 'compare') {
    comparisonRange = previous.comparisonRange;
    if (comparisonRange !== null) inherited.push('comparisonRange');
  }

  // Severity filter: only a fragment keeps it ("and in September?" after "how many bad ones").
  let severity = own.severity;
  if (severity === null && explain.followUp && previous.severity !== null) {
    severity = previous.severity;
    inherited.push('severity');
  }

  // Whose entries: kept while the thread continues ("and how bad was it?" after "Ben's…").
  let person = own.person ?? null;
  if (
    person === null &&
    (previous.person ?? null) !== null &&
    continues(own, explain, inherited, previous)
  ) {
    person = previous.person ?? null;
    inherited.push('person');
  }

  return {
    frame: { ...own, intent, confidence, symptoms, timeRange, comparisonRange, severity, person },
    inherited,
  };
}
