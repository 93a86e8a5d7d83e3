import type { Frame, FrameTimeRange } from '../../nlu/domain/frame';
import type { ConversationContext } from './conversation-context';
import type { Reply } from './reply';

/** A frame as stored: instants as ISO strings (the store may be Redis, as JSON). */
export interface StoredFrame extends Omit<Frame, 'timeRange' | 'comparisonRange'> {
  readonly timeRange: StoredRange | null;
  readonly comparisonRange: StoredRange | null;
}

export interface StoredRange {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export interface Turn {
  readonly at: string;
  readonly question: string;
  readonly reply: Pick<Reply, 'kind' | 'text' | 'markdown'>;
  readonly frame: StoredFrame;
}

export interface ConversationState {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly timeZone: string;
  /** Whose diary the conversation reads; null: the whole household. */
  readonly person: string | null;
  /**
   * The user who started it: only they can read it or ask in it (anyone else gets 404). A
   * conversation without one belongs to nobody.
   */
  readonly ownerId?: string;
  readonly turns: readonly Turn[];
  readonly context: { readonly frame: StoredFrame; readonly focus: StoredRange | null } | null;
}

export interface ConversationLimits {
  /** Turns kept (the oldest go first). */
  readonly maxTurns: number;
  /** Serialised size kept, in bytes (the oldest turns go first). */
  readonly maxBytes: number;
}

const storeRange = (r: FrameTimeRange | null): StoredRange | null =>
  r === null ? null : { from: r.from.toISOString(), to: r.to.toISOString(), text: r.text };

const loadRange = (r: StoredRange | null): FrameTimeRange | null =>
  r === null ? null : { from: new Date(r.from), to: new Date(r.to), text: r.text };

export function storeFrame(frame: Frame): StoredFrame {
  return {
    ...frame,
    timeRange: storeRange(frame.timeRange),
    comparisonRange: storeRange(frame.comparisonRange),
  };
}

export function loadFrame(frame: StoredFrame): Frame {
  return {
    ...frame,
    timeRange: loadRange(frame.timeRange),
    comparisonRange: loadRange(frame.comparisonRange),
  };
}

export function loadContext(state: ConversationState): ConversationContext | undefined {
  return state.context
    ? { frame: loadFrame(state.context.frame), focus: loadRange(state.context.focus) }
    : undefined;
}

/** Adds a turn (and the new context, if any), keeping the conversation within its limits. */
export function withTurn(
  state: ConversationState,
  turn: Turn,
  context: ConversationContext | undefined,
  limits: ConversationLimits,
): ConversationState {
  let turns = [...state.turns, turn].slice(-limits.maxTurns);
  const next = (kept: readonly Turn[]): ConversationState => ({
    ...state,
    updatedAt: turn.at,
    turns: kept,
    context: context
      ? { frame: storeFrame(context.frame), focus: storeRange(context.focus) }
      : state.context,
  });
  while (turns.length > 1 && Buffer.byteLength(JSON.stringify(next(turns))) > limits.maxBytes) {
    turns = turns.slice(1);
  }
  return next(turns);
}
