import type { Frame } from '../../nlu/domain/frame';
import type { SymptomEntry } from '../../symptoms/domain/symptom-entry';
import type { DiaryAnswer } from './answer';
import { answerResult } from './answer-result';
import { ConversationState, withTurn } from './conversation';
import {
  composeAnswer,
  composeClarification,
  composeSafety,
  composeSmallTalk,
} from './reply-composer';
import { Wording } from './wording';

const zone = 'Europe/Berlin';
const now = new Date('2026-03-10T14:30:00Z');
const ctx = { wording: new Wording(zone, now), name: (id: string) => id.replace('_', ' ') };
const february = {
  from: new Date('2026-01-31T23:00:00Z'),
  to: new Date('2026-02-28T23:00:00Z'),
  text: 'last month',
};
const frame = (over: Partial<Frame> = {}): Frame => ({
  intent: 'count',
  confidence: 0.9,
  symptoms: [{ id: 'headache', text: 'headaches', negated: false }],
  timeRange: february,
  comparisonRange: null,
  severity: null,
  safety: { urgent: false },
  ...over,
});
const entry = (over: Partial<SymptomEntry> = {}): SymptomEntry => ({
  id: 7,
  person: 'Anna',
  conceptId: 'headache',
  recordedAs: 'head ache',
  occurredAt: new Date('2026-01-03T07:15:00Z'),
  severity: 6,
  durationMinutes: 90,
  notes: null,
  ...over,
});

describe('Wording', () => {
  it('states periods in words, in the zone', () => {
    const w = ctx.wording;
    expect(w.period(february)).toBe('in February 2026');
    expect(
      w.period({ from: new Date('2026-02-22T23:00:00Z'), to: new Date('2026-03-01T23:00:00Z') }),
    ).toBe('between 23 February and 1 March 2026');
    expect(
      w.period({ from: new Date('2026-03-08T23:00:00Z'), to: new Date('2026-03-09T23:00:00Z') }),
    ).toBe('on Monday 9 March 2026');
    expect(w.period({ from: new Date('2026-02-28T23:00:00Z'), to: now })).toBe(
      'since 1 March 2026',
    );
    expect(w.period({ from: new Date(now.getTime() - 14 * 86_400_000), to: now })).toBe(
      'over the past 2 weeks',
    );
    expect(w.period(null)).toBe('in your whole diary');
    expect(w.dateTime(new Date('2026-01-03T07:15:00Z'))).toBe('Saturday 3 January 2026 at 08:15');
  });
});

describe('composeAnswer', () => {
  const count = (
    over: Partial<Extract<DiaryAnswer, { intent: 'count' }>['result']> = {},
  ): DiaryAnswer => ({
    intent: 'count',
    result: { count: 4, days: 3, byConcept: [], lastBefore: null, ...over },
  });

  it('states the period and the figure, with highlights in markdown only', () => {
    const reply = composeAnswer(frame(), count(), ctx);
    expect(reply.text).toBe('In February 2026 you logged headache 4 times, on 3 days.');
    expect(reply.markdown).toBe('In February 2026 you logged headache **4 times**, on 3 days.');
    expect(reply.kind).toBe('answer');
  });

  it('answers an empty result helpfully, with the last one before', () => {
    const reply = composeAnswer(frame(), count({ count: 0, days: 0, lastBefore: entry() }), ctx);
    expect(reply.text).toBe(
      'In February 2026 you logged no headache. The last one before that was on Saturday 3 January 2026.',
    );
  });

  it('names excluded symptoms and severity filters', () => {
    const f = frame({
      symptoms: [{ id: 'headache', text: 'headaches', negated: true }],
      severity: { min: 7, max: null },
    });
    expect(composeAnswer(f, count(), ctx).text).toMatch(
      /you logged severity 7\+ any symptom except headache 4 times/,
    );
  });

  it('lists entries with how they were written', () => {
    const reply = composeAnswer(
      frame({ intent: 'list' }),
      { intent: 'list', result: { items: [entry()], total: 1, page: 1, limit: 10 } },
      ctx,
    );
    expect(reply.text).toContain(
      'Saturday 3 January 2026 at 08:15: headache (written "head ache"), severity 6/10, 90 min — Anna',
    );
    expect(reply.sections[0]).toMatchObject({ title: 'Entries', kind: 'list' });
  });

  it('gives trend answers a verdict, a table and chart series', () => {
    const reply = composeAnswer(
      frame({ intent: 'trend', timeRange: null }),
      {
        intent: 'trend',
        result: {
          from: new Date('2025-09-30T22:00:00Z'),
          to: now,
          bucket: 'month',
          buckets: [
            {
              start: '2025-10-01',
              end: '2025-11-01',
              count: 9,
              rated: 9,
              averageSeverity: 6,
              coverage: 1,
            },
            {
              start: '2025-11-01',
              end: '2025-12-01',
              count: 5,
              rated: 5,
              averageSeverity: 5,
              coverage: 1,
            },
          ],
          direction: 'improving',
          counts: {
            direction: 'improving',
            points: 2,
            slope: -4,
            relativeChange: -0.6,
            firstHalfMean: 9,
            secondHalfMean: 5,
          },
          severity: {
            direction: 'stable',
            points: 2,
            slope: -1,
            relativeChange: -0.1,
            firstHalfMean: 6,
            secondHalfMean: 5,
          },
        } as never,
      },
      ctx,
    );
    expect(reply.text).toMatch(/your headache looks to be improving/);
    expect(reply.chart?.series.map((s) => s.name)).toEqual(['entries', 'average severity']);
    expect(reply.chart?.series[0].points).toEqual([
      { x: '2025-10-01', y: 9 },
      { x: '2025-11-01', y: 5 },
    ]);
  });

  it('never gives advice: it points to a professional and shows the figures', () => {
    const reply = composeAnswer(
      frame({ intent: 'advice', timeRange: null }),
      {
        intent: 'advice',
        result: { count: 2, days: 2, byConcept: [], lastBefore: null },
        last: { entry: entry(), lastBefore: null },
      },
      ctx,
    );
    expect(reply.text).toMatch(/can’t advise on diagnosis, treatment or medication/);
    expect(reply.text).toMatch(/doctor or pharmacist/);
    expect(reply.text).not.toMatch(/ibuprofen|paracetamol|aspirin|antibiotic|\bdose\b|\bmg\b/i);
  });
});

describe('other replies', () => {
  it('leads an emergency with a plain instruction to call', () => {
    const reply = composeSafety(frame({ safety: { urgent: true, kind: 'chest_pain' } }));
    expect(reply.kind).toBe('safety');
    expect(reply.text).toMatch(
      /^This could be an emergency\. Call your local emergency number now/,
    );
  });

  it('adds a crisis line for self-harm', () => {
    expect(composeSafety(frame({ safety: { urgent: true, kind: 'self_harm' } })).text).toMatch(
      /Samaritans 116 123.*988/s,
    );
  });

  it('asks rather than guesses, with the closest candidates', () => {
    const reply = composeClarification('unplaced', ctx, {
      phrase: 'dizzzy spels',
      candidates: ['dizziness'],
    });
    expect(reply).toMatchObject({ kind: 'clarification' });
    expect(reply.text).toBe(
      'I couldn’t match “dizzzy spels” to a symptom in your diary. Did you mean dizziness?',
    );
  });

  it('keeps small talk short and points back to the diary', () => {
    expect(composeSmallTalk('thanks').text).toMatch(/welcome/);
    expect(composeSmallTalk('unknown').kind).toBe('out_of_scope');
    expect(composeSmallTalk('help').sections[0].items?.length).toBeGreaterThan(4);
  });
});

describe('answerResult', () => {
  it('writes the contract figures with the zone offset', () => {
    const result = answerResult(
      { intent: 'last_occurrence', result: { entry: entry(), lastBefore: null } },
      null,
      zone,
    );
    expect(result).toMatchObject({
      lastOccurredAt: '2026-01-03T08:15:00+01:00',
      entry: { id: 7, symptom: 'headache' },
    });
    expect(answerResult(count0(), february, zone)).toMatchObject({
      count: 0,
      period: { from: '2026-02-01T00:00:00+01:00', to: '2026-03-01T00:00:00+01:00' },
    });
  });
});

function count0(): DiaryAnswer {
  return { intent: 'count', result: { count: 0, days: 0, byConcept: [], lastBefore: null } };
}

describe('withTurn', () => {
  const state: ConversationState = {
    id: 'c',
    createdAt: '2026-03-10T14:00:00.000Z',
    updatedAt: '2026-03-10T14:00:00.000Z',
    timeZone: zone,
    person: null,
    turns: [],
    context: null,
  };
  const turn = (i: number) => ({
    at: `2026-03-10T14:0${i}:00.000Z`,
    question: `question ${i} ${'x'.repeat(200)}`,
    reply: { kind: 'answer' as const, text: 'answer', markdown: 'answer' },
    frame: { ...frame(), timeRange: null, comparisonRange: null },
  });

  it('keeps the last turns within the turn and byte limits', () => {
    let s = state;
    for (let i = 0; i < 6; i++)
      s = withTurn(s, turn(i), undefined, { maxTurns: 4, maxBytes: 100_000 });
    expect(s.turns.map((t) => t.question.slice(0, 10))).toEqual([
      'question 2',
      'question 3',
      'question 4',
      'question 5',
    ]);
    const small = withTurn(
      withTurn(state, turn(1), undefined, { maxTurns: 10, maxBytes: 1000 }),
      turn(2),
      undefined,
      { maxTurns: 10, maxBytes: 1000 },
    );
    expect(small.turns).toHaveLength(1);
    expect(small.updatedAt).toBe(turn(2).at);
  });
});
