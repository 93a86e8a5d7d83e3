import { SymptomVocabulary } from '../../symptoms/domain/symptom-vocabulary';
import type { Frame } from '../../nlu/domain/frame';
import { parseQuestion } from '../../nlu/domain/question-parser';
import { shiftRange } from '../../nlu/domain/time/time-expressions';
import { ConversationContext, resolveWithContext } from './conversation-context';

const vocabulary = SymptomVocabulary.standard();
const R = new Date('2025-11-05T14:30:00Z');
const zone = 'Europe/Berlin';
const shift = (
  range: { from: Date; to: Date },
  unit: 'day' | 'week' | 'month' | 'year',
  n: number,
) => shiftRange(range, unit, n, zone);

/** Plays turns as the chat does and returns each resolved frame with what it inherited. */
function play(...turns: string[]): { frame: Frame; inherited: readonly string[] }[] {
  let context: ConversationContext | undefined;
  return turns.map((text) => {
    const resolved = resolveWithContext(
      parseQuestion(text, { referenceTime: R, timeZone: zone }, vocabulary),
      context,
      shift,
    );
    if (!['greeting', 'thanks', 'help', 'unknown', 'advice'].includes(resolved.frame.intent)) {
      context = { frame: resolved.frame, focus: null };
    }
    return resolved;
  });
}

const local = (d: Date | undefined) =>
  d ? new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' }).format(d) : null;

describe('resolveWithContext', () => {
  it('"and nausea?" keeps the intent and period and replaces the symptom', () => {
    const [, second] = play('how many headaches did I have last week', 'and nausea?');
    expect(second.frame.intent).toBe('count');
    expect(second.frame.symptoms.map((s) => s.id)).toEqual(['nausea']);
    expect(local(second.frame.timeRange?.from)).toBe('2025-10-27');
    expect(second.inherited).toEqual(expect.arrayContaining(['intent', 'timeRange']));
    expect(second.inherited).not.toContain('symptoms');
  });

  it('"and the week before?" keeps intent and symptoms and moves the period', () => {
    const [, , third] = play(
      'show my nausea entries from last week',
      'what about vomiting?',
      'and the week before?',
    );
    expect(third.frame).toMatchObject({ intent: 'list', symptoms: [{ id: 'vomiting' }] });
    expect(local(third.frame.timeRange?.from)).toBe('2025-10-20');
    expect(local(new Date((third.frame.timeRange?.to.getTime() ?? 0) - 1))).toBe('2025-10-26');
  });

  it('"how bad was it?" keeps symptoms and period', () => {
    const [, second] = play('how many migraines did I have in october', 'how bad was it?');
    expect(second.frame).toMatchObject({ intent: 'severity', symptoms: [{ id: 'migraine' }] });
    expect(local(second.frame.timeRange?.from)).toBe('2025-10-01');
  });

  it('last/first occurrence and trend without a period search the whole diary', () => {
    const turns = play(
      'how many migraines in october',
      'when was the most recent one?',
      'is it getting worse?',
    );
    expect(turns[1].frame).toMatchObject({ intent: 'last_occurrence', timeRange: null });
    expect(turns[2].frame).toMatchObject({
      intent: 'trend',
      timeRange: null,
      symptoms: [{ id: 'migraine' }],
    });
  });

  it('…unless they point at the period ("in that period")', () => {
    const [, second] = play(
      'how many migraines in october',
      'when was the first one in that period?',
    );
    expect(second.frame.intent).toBe('first_occurrence');
    expect(local(second.frame.timeRange?.from)).toBe('2025-10-01');
  });

  it('a new question about its own symptom starts afresh', () => {
    const [, second] = play(
      'how bad was my back pain last week',
      'what usually comes with my migraines?',
    );
    expect(second.frame).toMatchObject({ intent: 'co_occurrence', timeRange: null });
    expect(second.inherited).toEqual([]);
  });

  it('a generic question does not take the earlier symptom', () => {
    const [, second] = play('how many headaches last week', 'show me what I logged yesterday');
    expect(second.frame).toMatchObject({ intent: 'list', symptoms: [] });
  });

  it('small talk neither inherits nor breaks the thread', () => {
    const turns = play('is my back pain getting worse', 'thanks!', 'how many times this month');
    expect(turns[1].frame.intent).toBe('thanks');
    expect(turns[2].frame).toMatchObject({ intent: 'count', symptoms: [{ id: 'back_pain' }] });
  });

  it('never replaces a symptom it could not place with the earlier one', () => {
    const [, second] = play('how many headaches last week', 'how many zorbles last week');
    expect(second.frame.symptoms).toEqual([]);
    expect(second.inherited).not.toContain('symptoms');
  });

  it('keeps the severity filter only for a fragment', () => {
    const turns = play(
      'how many severe headaches in october',
      'and in september?',
      'how many headaches in august',
    );
    expect(turns[1].frame.severity).toEqual({ min: 7, max: null });
    expect(turns[2].frame.severity).toBeNull();
  });

  it('uses the day an answer found for "how bad was it?" after "when did I last…"', () => {
    const parsed = parseQuestion(
      'when did I last have a migraine',
      { referenceTime: R, timeZone: zone },
      vocabulary,
    );
    const day = {
      from: new Date('2025-10-30T23:00:00Z'),
      to: new Date('2025-10-31T23:00:00Z'),
      text: 'that day',
    };
    const next = resolveWithContext(
      parseQuestion('how bad was it?', { referenceTime: R, timeZone: zone }, vocabulary),
      { frame: parsed.frame, focus: day },
      shift,
    );
    expect(next.frame.timeRange).toEqual(day);
  });

  it('a fragment without a cue of its own continues the previous question', () => {
    const [, second] = play('show my symptoms from last week', 'only the headaches');
    expect(second.frame).toMatchObject({ intent: 'list', symptoms: [{ id: 'headache' }] });
    expect(local(second.frame.timeRange?.from)).toBe('2025-10-27');
  });

  it('"compare that with last month" compares the period in context', () => {
    const [, second] = play('how many headaches this month', 'compare that with last month');
    expect(second.frame.intent).toBe('compare');
    expect(local(second.frame.timeRange?.from)).toBe('2025-11-01');
    expect(local(second.frame.comparisonRange?.from)).toBe('2025-10-01');
  });

  it('an urgent message is answered as itself', () => {
    const [, second] = play('how many headaches last week', 'I have crushing chest pain right now');
    expect(second.frame.safety.urgent).toBe(true);
    expect(second.inherited).toEqual([]);
  });
});
