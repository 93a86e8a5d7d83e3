/**
 * The NLU frame of shared/contracts/nlu.md: what a question asks, in machine form. Field names,
 * types and meaning are contract; fields may be added.
 */
export const INTENTS = [
  'count',
  'last_occurrence',
  'first_occurrence',
  'list',
  'severity',
  'trend',
  'compare',
  'co_occurrence',
  'top_symptoms',
  'summary',
  'advice',
  'greeting',
  'thanks',
  'help',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/** Intents that ask about the diary (and so take symptoms and a period). */
export const DIARY_INTENTS: readonly Intent[] = INTENTS.filter(
  (intent) => !['advice', 'greeting', 'thanks', 'help', 'unknown'].includes(intent),
);

export interface FrameSymptom {
  /** A catalog id. */
  readonly id: string;
  /** The words of the question it was read from. */
  readonly text: string;
  /** True when the person excluded it ("everything except headaches"). */
  readonly negated: boolean;
}

/** A period: `from` inclusive, `to` exclusive, instants. */
export interface FrameTimeRange {
  readonly from: Date;
  readonly to: Date;
  /** The words it was read from ("last month"); for inherited ranges, the original words. */
  readonly text: string;
}

export interface SeverityFilter {
  readonly min: number | null;
  readonly max: number | null;
}

export type UrgencyKind =
  'chest_pain' | 'breathing' | 'collapse' | 'stroke' | 'bleeding' | 'self_harm' | 'other';

export interface Safety {
  readonly urgent: boolean;
  /** Which emergency pattern matched, when urgent. */
  readonly kind?: UrgencyKind;
}

export interface Frame {
  readonly intent: Intent;
  /** 0..1. Below the clarification threshold the reply asks rather than guesses. */
  readonly confidence: number;
  readonly symptoms: readonly FrameSymptom[];
  readonly timeRange: FrameTimeRange | null;
  readonly comparisonRange: FrameTimeRange | null;
  readonly severity: SeverityFilter | null;
  readonly safety: Safety;
  /**
   * Whose entries, when the question names one of the household ("Ben's back pain"); null or
   * absent: the conversation's person, or everyone. An addition to the contract's frame.
   */
  readonly person?: string | null;
}
