import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  conversationConfig,
  type ConversationConfig,
  diaryConfig,
  type DiaryConfig,
} from '../../../config/configuration';
import { DomainError } from '../../../shared/domain/domain-error';
import { ZoneClock } from '../../../shared/domain/zone-clock';
import { NluService } from '../../nlu/application/nlu.service';
import { DIARY_INTENTS, Frame, FrameTimeRange } from '../../nlu/domain/frame';
import type { ParsedQuestion } from '../../nlu/domain/parsed-question';
import { CONFIDENCE_THRESHOLD } from '../../nlu/domain/intent/intent-classifier';
import { SYMPTOM_REQUIRED } from '../../nlu/domain/question-parser';
import { shiftRange } from '../../nlu/domain/time/time-expressions';
import { DiaryQueriesService } from '../../symptoms/application/diary-queries.service';
import { SymptomCatalog } from '../../symptoms/domain/symptom-catalog';
import type { SymptomEntryFilter } from '../../symptoms/domain/symptom-entry-filter';
import type { DiaryAnswer } from '../domain/answer';
import { diaryFrom, diaryPeriod, diaryTo } from '../domain/diary-bounds';
import { answerResult } from '../domain/answer-result';
import { ConversationState, loadContext, storeFrame, withTurn } from '../domain/conversation';
import { ConversationContext, resolveWithContext } from '../domain/conversation-context';
import type { Reply } from '../domain/reply';
import {
  ComposeContext,
  composeAnswer,
  composeClarification,
  composeSafety,
  composeSmallTalk,
} from '../domain/reply-composer';
import { Wording } from '../domain/wording';
import { ChatMetrics } from './chat-metrics';
import { ConversationStore } from './conversation.store';

/** Below this confidence the chat asks rather than guesses (the classifier's own threshold). */
export const CLARIFY_BELOW = CONFIDENCE_THRESHOLD;
const LIST_PAGE = { page: 1, limit: 10 };
const DAY_MS = 86_400_000;

export interface ChatTurn {
  readonly conversationId: string;
  readonly reply: Reply;
  readonly frame: Frame;
  readonly timeZone: string;
  readonly result: Record<string, unknown> | null;
  readonly parsed: ParsedQuestion;
  readonly inherited: readonly string[];
}

export class ConversationNotFoundError extends DomainError {
  constructor() {
    super(
      'CONVERSATION.NOT_FOUND',
      'not_found',
      'This conversation does not exist or has expired. Start a new one.',
    );
  }
}

/**
 * The chat (US-BE-03): understands a message, applies the conversation's context, asks the diary,
 * composes the reply, and remembers the turn. Conversations expire after a period without
 * messages; every message renews them.
 */
@Injectable()
export class ChatService {
  /** The last message being answered, per conversation (see `ask`). */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly nlu: NluService,
    private readonly diary: DiaryQueriesService,
    private readonly catalog: SymptomCatalog,
    private readonly store: ConversationStore,
    @Inject(conversationConfig.KEY) private readonly config: ConversationConfig,
    @Inject(diaryConfig.KEY) private readonly diaryConfig: DiaryConfig,
    @Optional() private readonly metrics?: ChatMetrics,
  ) {}

  /**
   * Starts a conversation owned by `ownerId`. `person` limits it to one person's entries (the
   * caller decides who may read whom: a user's conversations always read their own person).
   */
  async start(options: {
    ownerId: string;
    timeZone?: string;
    person?: string;
  }): Promise<ConversationState> {
    const now = new Date().toISOString();
    const state: ConversationState = {
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      timeZone: options.timeZone ?? this.diaryConfig.timeZone,
      person: options.person ?? null,
      ownerId: options.ownerId,
      turns: [],
      context: null,
    };
    await this.store.save(state, this.config.ttlMs);
    return state;
  }

  /** The conversation, if `ownerId` owns it: another user's answers 404 like a missing one. */
  async get(id: string, ownerId: string): Promise<ConversationState> {
    const state = await this.store.get(id);
    if (!state || state.ownerId === undefined || state.ownerId !== ownerId) {
      throw new ConversationNotFoundError();
    }
    return state;
  }

  async end(id: string, ownerId: string): Promise<void> {
    await this.get(id, ownerId);
    if (!(await this.store.delete(id))) throw new ConversationNotFoundError();
  }

  expiresAt(state: ConversationState): string {
    return new Date(Date.parse(state.updatedAt) + this.config.ttlMs).toISOString();
  }

  /**
   * Answers a message. Messages to one conversation are handled one after the other (in this
   * instance), so that simultaneous messages each see the turn before and none is lost.
   */
  ask(
    id: string,
    ownerId: string,
    message: { text: string; referenceTime?: Date; timeZone?: string },
  ): Promise<ChatTurn> {
    const previous = this.inFlight.get(id) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => this.answer(id, ownerId, message));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(id, settled);
    void settled.then(() => {
      if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    });
    return turn;
  }

  private async answer(
    id: string,
    ownerId: string,
    message: { text: string; referenceTime?: Date; timeZone?: string },
  ): Promise<ChatTurn> {
    const state = await this.get(id, ownerId);
    const timeZone = message.timeZone ?? state.timeZone;
    const now = message.referenceTime ?? new Date();
    // A conversation bound to one person reads only that person's entries; otherwise a name in
    // the question ("Ben's back pain") picks whose entries.
    const people = state.person === null ? await this.nlu.people() : [];
    const parsed = this.nlu.parse(message.text, { referenceTime: now, timeZone, people });
    const { frame, inherited } = resolveWithContext(parsed, loadContext(state), (range, unit, n) =>
      shiftRange(range, unit, n, timeZone),
    );
    const who = state.person ?? frame.person ?? null;
    const ctx: ComposeContext = {
      wording: new Wording(timeZone, now),
      name: (id) => (this.catalog.get(id)?.name ?? id).toLowerCase(),
      who: state.person === null && who !== null ? who : undefined,
    };
    const { reply, answer, context } = await this.respond(parsed, frame, state, ctx, now);
    const result = answer ? answerResult(answer, frame.timeRange, timeZone) : null;
    const next = withTurn(
      state,
      {
        at: new Date().toISOString(),
        question: message.text,
        reply: { kind: reply.kind, text: reply.text, markdown: reply.markdown },
        frame: storeFrame(frame),
      },
      context,
      { maxTurns: this.config.maxTurns, maxBytes: this.config.maxBytes },
    );
    await this.store.save(next, this.config.ttlMs);
    this.metrics?.turn(frame.intent);
    return { conversationId: id, reply, frame, timeZone, result, parsed, inherited };
  }

  private async respond(
    parsed: ParsedQuestion,
    frame: Frame,
    state: ConversationState,
    ctx: ComposeContext,
    now: Date,
  ): Promise<{ reply: Reply; answer?: DiaryAnswer; context?: ConversationContext }> {
    if (frame.safety.urgent) {
      // Emergencies first, with a plain instruction; nothing else is said.
      return { reply: composeSafety(frame) };
    }
    if (
      frame.intent === 'greeting' ||
      frame.intent === 'thanks' ||
      frame.intent === 'help' ||
      frame.intent === 'unknown'
    ) {
      return { reply: composeSmallTalk(frame.intent) };
    }
    const wanted = frame.symptoms.filter((s) => !s.negated);
    if (frame.intent !== 'advice') {
      if (parsed.explain.unplaced.length > 0 && wanted.length === 0) {
        const [first] = parsed.explain.unplaced;
        return {
          reply: composeClarification('unplaced', ctx, {
            phrase: first.text,
            candidates: first.candidates,
          }),
        };
      }
      // "how many symptoms other than migraines…" names its symptoms by exclusion: answerable.
      if (SYMPTOM_REQUIRED.includes(frame.intent) && frame.symptoms.length === 0) {
        return { reply: composeClarification('no_symptom', ctx) };
      }
      if (frame.confidence < CLARIFY_BELOW) {
        return { reply: composeClarification('unsure', ctx) };
      }
    }
    const answer = await this.query(frame, state.person, now);
    const reply = composeAnswer(frame, answer, ctx);
    return { reply, answer, context: this.contextAfter(frame, answer, ctx.wording.timeZone) };
  }

  private filter(frame: Frame, person: string | null, range = frame.timeRange): SymptomEntryFilter {
    return {
      conceptIds: frame.symptoms.filter((s) => !s.negated).map((s) => s.id),
      excludedConceptIds: frame.symptoms.filter((s) => s.negated).map((s) => s.id),
      // Whole minutes: a period reaching now is then the same read for a minute (diary-bounds.ts).
      from: diaryFrom(range?.from),
      to: diaryTo(range?.to),
      minSeverity: frame.severity?.min ?? undefined,
      maxSeverity: frame.severity?.max ?? undefined,
      person: person ?? frame.person ?? undefined,
    };
  }

  /** Asks the diary the question a frame stands for (diary intents and advice only). */
  private async query(frame: Frame, person: string | null, now: Date): Promise<DiaryAnswer> {
    const filter = this.filter(frame, person);
    switch (frame.intent) {
      case 'count':
        return { intent: 'count', result: await this.diary.count(filter) };
      case 'last_occurrence':
        return { intent: 'last_occurrence', result: await this.diary.lastOccurrence(filter) };
      case 'first_occurrence':
        return { intent: 'first_occurrence', result: await this.diary.firstOccurrence(filter) };
      case 'list':
        return {
          intent: 'list',
          result: await this.diary.list(
            filter,
            { field: 'occurredAt', direction: 'desc' },
            LIST_PAGE,
          ),
        };
      case 'severity':
        return { intent: 'severity', result: await this.diary.severity(filter) };
      case 'trend':
        return { intent: 'trend', result: await this.diary.trend(filter, { now: diaryTo(now) }) };
      case 'compare': {
        const [first, second] = this.comparedPeriods(frame, now);
        return {
          intent: 'compare',
          result: await this.diary.compare(
            { ...filter, from: diaryFrom(first.from), to: diaryTo(first.to) },
            diaryPeriod(second),
          ),
        };
      }
      case 'co_occurrence':
        return { intent: 'co_occurrence', result: await this.diary.coOccurrence(filter) };
      case 'top_symptoms':
        return { intent: 'top_symptoms', result: await this.diary.topSymptoms(filter) };
      case 'summary':
        return { intent: 'summary', result: await this.diary.summary(filter) };
      case 'greeting':
      case 'thanks':
      case 'help':
      case 'unknown':
        throw new Error(`'${frame.intent}' is not a diary question`);
      case 'advice': {
        // Never advice: only what the diary shows of the last 30 days.
        const recent = {
          ...filter,
          ...diaryPeriod({ from: new Date(now.getTime() - 30 * DAY_MS), to: now }),
        };
        const hasSymptom = recent.conceptIds.length > 0;
        return {
          intent: 'advice',
          result: await this.diary.count(recent),
          last: hasSymptom
            ? await this.diary.lastOccurrence({ ...filter, from: undefined, to: undefined })
            : null,
        };
      }
    }
  }

  /**
   * The two periods of a comparison, earlier first when only one is named: both named; a past
   * period and the time since ("worse than last month?": last month, then this month so far);
   * a period reaching now and the same length before it; none named: the 30 days before the
   * last 30, then the last 30.
   */
  private comparedPeriods(frame: Frame, now: Date): [FrameTimeRange, FrameTimeRange] {
    const named = frame.timeRange ?? {
      from: new Date(now.getTime() - 30 * DAY_MS),
      to: now,
      text: 'the last 30 days',
    };
    if (frame.comparisonRange) return [named, frame.comparisonRange];
    if (now.getTime() - named.to.getTime() > 60_000) {
      return [named, { from: named.to, to: now, text: 'since then' }];
    }
    const length = named.to.getTime() - named.from.getTime();
    return [
      { from: new Date(named.from.getTime() - length), to: named.from, text: 'the period before' },
      named,
    ];
  }

  /** What the next turn may refer to: this frame, and the day an occurrence answer found. */
  private contextAfter(
    frame: Frame,
    answer: DiaryAnswer,
    timeZone: string,
  ): ConversationContext | undefined {
    if (!DIARY_INTENTS.includes(frame.intent)) return undefined;
    let focus: FrameTimeRange | null = null;
    if (
      (answer.intent === 'last_occurrence' || answer.intent === 'first_occurrence') &&
      answer.result.entry
    ) {
      const day = dayAround(answer.result.entry.occurredAt, timeZone);
      focus = { ...day, text: 'that day' };
    }
    return { frame, focus };
  }
}

/** The local calendar day (in `timeZone`) containing an instant. */
function dayAround(instant: Date, timeZone: string): { from: Date; to: Date } {
  const clock = ZoneClock.of(timeZone);
  const t = clock.toLocal(instant.getTime());
  const midnight = (day: number) =>
    new Date(
      clock.toInstant({
        year: t.year,
        month: t.month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
      }),
    );
  return { from: midnight(t.day), to: midnight(t.day + 1) };
}
