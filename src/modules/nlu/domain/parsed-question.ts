import type { Frame, FrameTimeRange } from './frame';

/** A follow-up's reference to the period already in the conversation. */
export type ContextualTimeReference =
  | {
      readonly kind: 'shift';
      readonly unit: 'day' | 'week' | 'month' | 'year';
      readonly amount: number;
      readonly text: string;
    }
  | { readonly kind: 'same'; readonly text: string };

/** One span of the question the NLU used, for the explain output. */
export interface ExplainSpan {
  readonly kind:
    'symptom' | 'time' | 'severity' | 'negation' | 'safety' | 'intent' | 'context' | 'person';
  readonly text: string;
  readonly start?: number;
  readonly end?: number;
  /** What it became: "hedaches → headache", "last month → 1–31 October 2025". */
  readonly normalised: string;
  readonly rule?: string;
}

export interface Explain {
  /** The question as asked. */
  readonly text: string;
  readonly spans: readonly ExplainSpan[];
  readonly intent: {
    readonly rule: string;
    readonly scores: Readonly<Record<string, number>>;
  };
  /** The question reads as an elliptical follow-up ("and in September?"). */
  readonly followUp: boolean;
  /** Words that point at the period in context ("the week before", "that week"). */
  readonly contextualTime: ContextualTimeReference | null;
  /** The question refers back to earlier symptoms ("they", "it", "those"). */
  readonly anaphora: boolean;
  /** Words that look like a symptom the vocabulary cannot place, with the closest concepts. */
  readonly unplaced: readonly { readonly text: string; readonly candidates: readonly string[] }[];
  readonly timeZone: string;
  readonly referenceTime: string;
}

/** The NLU's reading of one question: the contract frame plus what follow-ups need. */
export interface ParsedQuestion {
  readonly frame: Frame;
  readonly explain: Explain;
}

export type { FrameTimeRange };
