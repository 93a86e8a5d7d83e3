import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ZoneClock } from '../../../../shared/domain/zone-clock';
import {
  parseTime,
  resolveContextualAlone,
  shiftRange,
  type TimeMention,
  type TimeParse,
} from './time-expressions';

/**
 * Expectations are written as local dates of the question's zone: `first`/`last` are the
 * inclusive calendar days of a range (last = the local date of to - 1 ms), as in shared/eval.
 */

const BERLIN = 'Europe/Berlin';
/** Wednesday 5 November 2025, 15:30 in Berlin: the reference time of shared/eval. */
const R = '2025-11-05T14:30:00Z';

interface At {
  at?: string;
  zone?: string;
}

function ask(text: string, { at = R, zone = BERLIN }: At = {}): TimeParse {
  return parseTime(text, { referenceTime: new Date(at), timeZone: zone });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date (YYYY-MM-DD) of an instant in a zone. */
function localDate(epochMs: number, zone: string): string {
  const t = ZoneClock.of(zone).toLocal(epochMs);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

/** The instant of a local 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm' in a zone. */
function local(text: string, zone: string): number {
  const [date, time = '00:00'] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return ZoneClock.of(zone).toInstant({
    year,
    month,
    day,
    hour,
    minute,
    second: 0,
    millisecond: 0,
  });
}

/** [first day, last day] of a mention, as local dates. */
function days(m: TimeMention, zone = BERLIN): [string, string] {
  return [localDate(m.from.getTime(), zone), localDate(m.to.getTime() - 1, zone)];
}

function only(text: string, at: At = {}): TimeMention {
  const parsed = ask(text, at);
  expect(parsed.mentions.map((m) => m.text)).toHaveLength(1);
  return parsed.mentions[0];
}

/** The one mention covers whole local days first..last (midnight to midnight). */
function expectDays(text: string, first: string, last: string, at: At = {}): TimeMention {
  const zone = at.zone ?? BERLIN;
  const m = only(text, at);
  expect(days(m, zone)).toEqual([first, last]);
  expect(m.from.getTime()).toBe(local(first, zone));
  expect(localDate(m.to.getTime(), zone)).not.toBe(last);
  expect(m.to.getTime()).toBe(local(nextDay(last), zone));
  return m;
}

/** The one mention runs from a local time (or midnight) to the reference time. */
function expectToNow(text: string, from: string, at: At = {}): TimeMention {
  const zone = at.zone ?? BERLIN;
  const m = only(text, at);
  expect(m.from.getTime()).toBe(local(from, zone));
  expect(m.to.toISOString()).toBe(new Date(at.at ?? R).toISOString());
  return m;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const HOUR = 3_600_000;

describe('parseTime: the contract table (R = Wed 5 Nov 2025 15:30, Europe/Berlin)', () => {
  it.each([
    ['how many headaches today', '2025-11-05', '2025-11-05'],
    ['what did I log yesterday', '2025-11-04', '2025-11-04'],
    ['the day before yesterday', '2025-11-03', '2025-11-03'],
    ['on March 3rd', '2025-03-03', '2025-03-03'],
    ['March 3', '2025-03-03', '2025-03-03'],
    ['3 March', '2025-03-03', '2025-03-03'],
    ['on the 3rd of March', '2025-03-03', '2025-03-03'],
    ['2 days ago', '2025-11-03', '2025-11-03'],
    ['three days ago', '2025-11-02', '2025-11-02'],
  ])('a calendar day: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['this week', '2025-11-03'],
    ['this month', '2025-11-01'],
    ['this year', '2025-01-01'],
    ['so far this week', '2025-11-03'],
    ['year to date', '2025-01-01'],
  ])('from the start of the period to R: %s', (text, from) => {
    expectToNow(text, from);
  });

  it.each([
    ['last week', '2025-10-27', '2025-11-02'],
    ['last month', '2025-10-01', '2025-10-31'],
    ['last year', '2024-01-01', '2024-12-31'],
    ['previous week', '2025-10-27', '2025-11-02'],
    ['previous month', '2025-10-01', '2025-10-31'],
    ['the week before last', '2025-10-20', '2025-10-26'],
    ['the month before last', '2025-09-01', '2025-09-30'],
    ['last quarter', '2025-07-01', '2025-09-30'],
  ])('the previous calendar period: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['past 5 days', '2025-10-31 15:30'],
    ['the past 2 weeks', '2025-10-22 15:30'],
    ['in the past 2 weeks', '2025-10-22 15:30'],
    ['the past month', '2025-10-05 15:30'],
    ['the last week', '2025-10-29 15:30'],
    ['over the last year', '2024-11-05 15:30'],
    ['the last 3 months', '2025-08-05 15:30'],
    ['last 7 days', '2025-10-29 15:30'],
    ['past few days', '2025-11-02 15:30'],
    ['past couple of weeks', '2025-10-22 15:30'],
    ['the last couple weeks', '2025-10-22 15:30'],
    ['the past two months', '2025-09-05 15:30'],
    ['in the last twelve months', '2024-11-05 15:30'],
    ['past week', '2025-10-29 15:30'],
    ['this past week', '2025-10-29 15:30'],
    ['the past fortnight', '2025-10-22 15:30'],
    ['the past 24 hours', '2025-11-04 15:30'],
    ['within the past several days', '2025-10-31 15:30'],
  ])('rolling, same clock time: %s', (text, from) => {
    expectToNow(text, from);
  });

  it.each([['lately'], ['recently'], ['these days'], ['nowadays'], ['how have I been of late']])(
    'the past 30 days: %s',
    (text) => {
      expectToNow(text, '2025-10-06 15:30');
    },
  );

  it.each([
    ['in March', '2025-03-01', '2025-03-31'],
    ['in october', '2025-10-01', '2025-10-31'],
    ['this March', '2025-03-01', '2025-03-31'],
    ['in November', '2025-11-01', '2025-11-30'],
    ['in December', '2024-12-01', '2024-12-31'],
    ['on the 20th', '2025-10-20', '2025-10-20'],
    ['the 20th', '2025-10-20', '2025-10-20'],
    ['on the 5th', '2025-11-05', '2025-11-05'],
    ['on the 31st', '2025-10-31', '2025-10-31'],
    ['on December 24', '2024-12-24', '2024-12-24'],
    ['March 2025', '2025-03-01', '2025-03-31'],
    ['in December 2025', '2025-12-01', '2025-12-31'],
    ['3 March 2025', '2025-03-03', '2025-03-03'],
    ['March 3rd, 2024', '2024-03-03', '2024-03-03'],
    ['2025-03-03', '2025-03-03', '2025-03-03'],
    ['2024-07', '2024-07-01', '2024-07-31'],
    ['March of last year', '2024-03-01', '2024-03-31'],
    ['3 March last year', '2024-03-03', '2024-03-03'],
    ['last March', '2025-03-01', '2025-03-31'],
    ['last November', '2024-11-01', '2024-11-30'],
  ])('a month or a day, most recent not starting after R: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['on Monday', '2025-11-03'],
    ['last Sunday', '2025-11-02'],
    ['this Monday', '2025-11-03'],
    ['on Wednesday', '2025-10-29'],
    ['on friday', '2025-10-31'],
    ['Thursday', '2025-10-30'],
    ['on Tuesday morning', '2025-11-04'],
    ['on sat', '2025-11-01'],
    ['last wed', '2025-10-29'],
    ['Monday last week', '2025-10-27'],
    ['on Friday of last week', '2025-10-31'],
    ['this past Saturday', '2025-11-01'],
  ])('a weekday, the most recent before today: %s', (text, day) => {
    expectDays(text, day, day);
  });

  it.each([
    ['a week ago', '2025-10-29'],
    ['three months ago', '2025-08-05'],
    ['2 Thursdays ago', '2025-10-23'],
    ['a month ago', '2025-10-05'],
    ['a year ago', '2024-11-05'],
    ['a couple of weeks ago', '2025-10-22'],
    ['a fortnight ago', '2025-10-22'],
    ['a few days ago', '2025-11-02'],
    ['5 days back', '2025-10-31'],
  ])('N units ago is that day: %s', (text, day) => {
    expectDays(text, day, day);
  });

  it.each([
    ['since Monday', '2025-11-03', 'since Monday'],
    ['since March 1st', '2025-03-01', 'since March 1st'],
    ['since January', '2025-01-01', 'since January'],
    ['since last week', '2025-10-27', 'since last week'],
    ['ever since the 20th', '2025-10-20', 'ever since the 20th'],
    ['since yesterday', '2025-11-04', 'since yesterday'],
    ['since Christmas', '2024-12-25', 'since Christmas'],
    ['from October on', '2025-10-01', 'from October on'],
    ['from March until now', '2025-03-01', 'from March until now'],
    ['starting Monday', '2025-11-03', 'starting Monday'],
  ])('since that moment to R: %s', (text, from, phrase) => {
    expect(expectToNow(text, from).text).toBe(phrase);
  });

  it('after a day: from the end of that day to R', () => {
    expectToNow('anything after Halloween?', '2025-11-01');
  });

  it.each([
    ['between March 1 and March 10', '2025-03-01', '2025-03-10'],
    ['from Oct 10 to Oct 20', '2025-10-10', '2025-10-20'],
    ['between october 10 and october 20', '2025-10-10', '2025-10-20'],
    ['Oct 10-20', '2025-10-10', '2025-10-20'],
    ['October 10 to 20', '2025-10-10', '2025-10-20'],
    ['10-20 October', '2025-10-10', '2025-10-20'],
    ['between 10 and 20 October', '2025-10-10', '2025-10-20'],
    ['between the 10th and the 20th', '2025-10-10', '2025-10-20'],
    ['from Monday until today', '2025-11-03', '2025-11-05'],
    ['from September to October', '2025-09-01', '2025-10-31'],
    ['between September and October', '2025-09-01', '2025-10-31'],
    ['Dec 20 - Jan 5', '2024-12-20', '2025-01-05'],
    ['between december 20 and january 5', '2024-12-20', '2025-01-05'],
    ['from 2024-12-30 to 2025-01-02', '2024-12-30', '2025-01-02'],
  ])('both days included: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['last weekend', '2025-11-01', '2025-11-02'],
    ['over the weekend', '2025-11-01', '2025-11-02'],
    ['this weekend', '2025-11-01', '2025-11-02'],
    ['the weekend before last', '2025-10-25', '2025-10-26'],
  ])('Saturday and Sunday of the latest weekend: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['this morning', '2025-11-05', '2025-11-05'],
    ['tonight', '2025-11-05', '2025-11-05'],
    ['last night', '2025-11-04', '2025-11-04'],
    ['yesterday evening', '2025-11-04', '2025-11-04'],
    ['in 2025', '2025-01-01', '2025-12-31'],
    ['during 2024', '2024-01-01', '2024-12-31'],
    ['last summer', '2025-06-01', '2025-08-31'],
    ['last winter', '2024-12-01', '2025-02-28'],
    ['this autumn', '2025-09-01', '2025-11-30'],
    ['in the fall', '2025-09-01', '2025-11-30'],
    ['summer 2024', '2024-06-01', '2024-08-31'],
    ['the first week of October', '2025-10-01', '2025-10-07'],
    ['the last week of October', '2025-10-25', '2025-10-31'],
    ['early October', '2025-10-01', '2025-10-10'],
    ['mid-October', '2025-10-11', '2025-10-20'],
    ['late October', '2025-10-21', '2025-10-31'],
    ['the end of last month', '2025-10-21', '2025-10-31'],
    ['the last day of February', '2025-02-28', '2025-02-28'],
    ['10/20', '2025-10-20', '2025-10-20'],
    ['on 10/20/2024', '2024-10-20', '2024-10-20'],
    ['on 7/10', '2025-07-10', '2025-07-10'],
    ['20.10.2025', '2025-10-20', '2025-10-20'],
    ['2025/03/03', '2025-03-03', '2025-03-03'],
    ['Q3', '2025-07-01', '2025-09-30'],
    ['the first quarter of 2025', '2025-01-01', '2025-03-31'],
    ['the week of October 13', '2025-10-13', '2025-10-19'],
    ['Tue, 3rd March 2025 at 10am', '2025-03-03', '2025-03-03'],
    ['on Christmas Eve', '2024-12-24', '2024-12-24'],
    ['thanksgiving 2024', '2024-11-28', '2024-11-28'],
    ['in the month of May', '2025-05-01', '2025-05-31'],
    ['since may I have had', '2025-05-01', '2025-05-31'],
  ])('public-corpus forms: %s', (text, first, last) => {
    if (text.startsWith('since')) {
      expectToNow(text, first);
      return;
    }
    expectDays(text, first, last);
  });

  it.each([
    ['from the 1st to the 15th', '2025-10-01', '2025-10-15'],
    ['Monday through Wednesday', '2025-11-03', '2025-11-05'],
    ['Saturday to Monday', '2025-11-01', '2025-11-03'],
    ['Jan-Mar', '2025-01-01', '2025-03-31'],
    ['between Jan and Mar', '2025-01-01', '2025-03-31'],
    ['October 1st through October 15th', '2025-10-01', '2025-10-15'],
    ['Oct 1st-15th', '2025-10-01', '2025-10-15'],
    ['October 1 - 15, 2024', '2024-10-01', '2024-10-15'],
    ['1st to 15th of October', '2025-10-01', '2025-10-15'],
    ['in the first 2 weeks of October', '2025-10-01', '2025-10-14'],
    ['the last 10 days of last month', '2025-10-22', '2025-10-31'],
    ['the first week of this month', '2025-11-01', '2025-11-07'],
    ['Tuesday before last', '2025-10-28', '2025-10-28'],
    ['this time last year', '2024-11-05', '2024-11-05'],
    ['the same time last year', '2024-11-05', '2024-11-05'],
    ['2 weeks ago today', '2025-10-22', '2025-10-22'],
    ['3 yrs ago', '2022-11-05', '2022-11-05'],
    ['the week before Christmas', '2024-12-18', '2024-12-24'],
    ['the day after Christmas', '2024-12-26', '2024-12-26'],
    ['the 2 weeks before the 20th', '2025-10-06', '2025-10-19'],
    ['Tuesday 3/4', '2025-03-04', '2025-03-04'],
    ['Dec 28-3', '2024-12-28', '2025-01-03'],
    ['Oct 25 - Nov 3', '2025-10-25', '2025-11-03'],
    ['in Sept.', '2025-09-01', '2025-09-30'],
    ['during Jan', '2025-01-01', '2025-01-31'],
    ['on Nov. 3', '2025-11-03', '2025-11-03'],
    ['November 3rd at 5pm', '2025-11-03', '2025-11-03'],
    ['the third of October', '2025-10-03', '2025-10-03'],
    ['October third', '2025-10-03', '2025-10-03'],
    ['the 1st of the month', '2025-11-01', '2025-11-01'],
    ['the 20th of last month', '2025-10-20', '2025-10-20'],
  ])('more ranges and dates: %s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['past 2 wks', '2025-10-22 15:30'],
    ['last 6 mos', '2025-05-05 15:30'],
    ['the last hour', '2025-11-05 14:30'],
    ['since the start of the year', '2025-01-01'],
    ['since the beginning of the month', '2025-11-01'],
    ['earlier this week', '2025-11-03'],
    ['since this morning', '2025-11-05'],
    ['in recent weeks', '2025-10-06 15:30'],
  ])('more periods up to now: %s', (text, from) => {
    expectToNow(text, from);
  });

  it('before / until a period: from the start of the diary', () => {
    const before = only('how many headaches before March');
    expect(before.from.getTime()).toBe(0);
    expect(before.to.getTime()).toBe(local('2025-03-01', BERLIN));
    expect(before.explanation).toBe('up to 28 Feb 2025');
    const until = only('until yesterday');
    expect(until.from.getTime()).toBe(0);
    expect(until.to.getTime()).toBe(local('2025-11-05', BERLIN));
  });

  it('a follow-up shift after a period of the same question is that period shifted', () => {
    const parsed = ask('headaches last week vs the week before');
    expect(parsed.contextual).toBeNull();
    expect(parsed.mentions.map((m) => [m.text, ...days(m)])).toEqual([
      ['last week', '2025-10-27', '2025-11-02'],
      ['the week before', '2025-10-20', '2025-10-26'],
    ]);
    const same = ask('in October, and how bad was it that month');
    expect(same.contextual).toBeNull();
    expect(same.mentions).toHaveLength(1);
  });

  it('seasons named side by side', () => {
    expect(ask('summer vs winter').mentions.map((m) => days(m))).toEqual([
      ['2025-06-01', '2025-08-31'],
      ['2024-12-01', '2025-02-28'],
    ]);
  });

  it('tomorrow is read (a future day), for the intent layer to judge', () => {
    expectDays("what's the weather going to be tomorrow", '2025-11-06', '2025-11-06');
  });
});

describe('parseTime: spans, rules and explanations', () => {
  it('keeps the words as written, with their offsets', () => {
    const text = 'How many headaches did I have Last Week?';
    const m = only(text);
    expect(m.text).toBe('Last Week');
    expect(text.slice(m.start, m.end)).toBe('Last Week');
    expect(m.rule).toBe('calendar_period:last');
  });

  it.each([
    ['last week', '27 Oct – 2 Nov 2025'],
    ['in October', '1–31 October 2025'],
    ['yesterday', '4 November 2025'],
    ['this week', '3 Nov 2025 to now'],
    ['the past 2 weeks', '22 Oct 2025 15:30 to now'],
    ['last year', '1 Jan – 31 Dec 2024'],
    ['Dec 20 - Jan 5', '20 Dec 2024 – 5 Jan 2025'],
    ['in February 2026', '1–28 February 2026'],
  ])('explains %s as %s', (text, explanation) => {
    expect(only(text).explanation).toBe(explanation);
  });

  it('names the rule of each reading', () => {
    const rules = (text: string) => ask(text).mentions.map((m) => m.rule);
    expect(rules('the past month')).toEqual(['rolling']);
    expect(rules('in March')).toEqual(['month']);
    expect(rules('since Monday')).toEqual(['since:weekday']);
    expect(rules('between March 1 and March 10')).toEqual(['between']);
    expect(rules('over the weekend')).toEqual(['weekend:current']);
    expect(rules('3 days ago')).toEqual(['ago']);
  });

  it('is deterministic and independent of the machine zone', () => {
    const text = 'compare March 3 with the past 2 weeks and 10/20';
    const first = ask(text);
    expect(ask(text)).toEqual(first);
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(ask(text)).toEqual(first);
      process.env.TZ = 'America/Los_Angeles';
      expect(ask(text)).toEqual(first);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('parseTime: several periods, in order of appearance', () => {
  const texts = (text: string) => ask(text).mentions.map((m) => [m.text, ...days(m)]);

  it('a comparison of two months', () => {
    expect(texts('Did I have more headaches in September or October?')).toEqual([
      ['September', '2025-09-01', '2025-09-30'],
      ['October', '2025-10-01', '2025-10-31'],
    ]);
  });

  it('this week with last week', () => {
    expect(texts('compare my anxiety this week with last week')).toEqual([
      ['this week', '2025-11-03', '2025-11-05'],
      ['last week', '2025-10-27', '2025-11-02'],
    ]);
  });

  it('this month vs last month', () => {
    expect(texts('this month vs last month')).toEqual([
      ['this month', '2025-11-01', '2025-11-05'],
      ['last month', '2025-10-01', '2025-10-31'],
    ]);
  });

  it('"compare X to Y" keeps two periods, "from X to Y" is one', () => {
    expect(texts('compare September to October')).toHaveLength(2);
    expect(texts('compare headaches between September and October')).toHaveLength(2);
    expect(texts('is there a difference between last week and this week')).toHaveLength(2);
    expect(texts('from September to October')).toEqual([
      ['from September to October', '2025-09-01', '2025-10-31'],
    ]);
  });

  it('months in a list', () => {
    expect(texts('headaches in april and may')).toEqual([
      ['april', '2025-04-01', '2025-04-30'],
      ['may', '2025-05-01', '2025-05-31'],
    ]);
  });

  it('the same period named twice is listed once', () => {
    expect(texts('today, I mean today')).toHaveLength(1);
  });

  it('overlapping readings resolve to the longest', () => {
    expect(texts('in the last week of October')).toEqual([
      ['the last week of October', '2025-10-25', '2025-10-31'],
    ]);
    expect(texts('March 3 last year')).toEqual([['March 3 last year', '2024-03-03', '2024-03-03']]);
    expect(texts('Monday, March 3')).toEqual([['Monday, March 3', '2025-03-03', '2025-03-03']]);
  });
});

describe('parseTime: chat abbreviations (R = Wed 5 Nov 2025 15:30, Europe/Berlin)', () => {
  it.each([
    ['anything logged yday?', '2025-11-04', '2025-11-04'],
    ['headaches yest', '2025-11-04', '2025-11-04'],
    ['my entries from last wk', '2025-10-27', '2025-11-02'],
    ['back pain last mo', '2025-10-01', '2025-10-31'],
    ['migraines last mth', '2025-10-01', '2025-10-31'],
    ['top symptoms last yr', '2024-01-01', '2024-12-31'],
  ])('%s', (text, first, last) => {
    expectDays(text, first, last);
  });

  it.each([
    ['so far this wk', '2025-11-03'],
    ['summary of this mo', '2025-11-01'],
    ['how many this yr', '2025-01-01'],
  ])('%s runs from the start of the period to R', (text, from) => {
    expectToNow(text, from);
  });

  it('"tmrw" is tomorrow', () => {
    expectDays('any plans tmrw', '2025-11-06', '2025-11-06');
  });

  it('"lately" after "the most" is a period; "most recently" is not', () => {
    expect(days(only('which symptom did i note the most lately'))).toEqual([
      '2025-10-06',
      '2025-11-05',
    ]);
    expect(ask('when did i most recently feel dizzy').mentions).toEqual([]);
  });
});

describe('parseTime: words that are not time', () => {
  it.each([
    'last time I felt sick',
    'when did I last have a fever',
    'When did I last have a fever?',
    'last time i felt nauseous?',
    'the first time I had a migraine',
    'when was my most recent panic attack',
    'when did I most recently have a migraine',
    'since when have I had this',
    'how long has my back hurt',
    'may I ask something',
    'it may be nothing',
    'this may be related to stress',
    'I had to march for hours',
    'I had 3 headaches',
    'it was a 7 out of 10',
    'pain was 7/10',
    'rated my pain 8/10',
    'should I get a second opinion',
    'too much sun',
    'I sat down and felt dizzy',
    'wedding stress',
    'my last headache',
    'the last one',
    'what did I log the 3rd time',
    'for 3 days I had a fever',
    'do my headaches and nausea happen together',
    'I get headaches every Monday',
    'headaches on mondays',
    'at the same time as nausea',
    'did I fall',
    'how many times did I pass out',
    'back pain 2 weeks',
    'the last 3 headaches',
    'is my fatigue getting better?',
    'when did my knee pain start',
    'took 1/2 a pill',
    'score of 3/4',
    'blood pressure 120/80',
    '10/10 pain',
    'show the last 5 entries',
    'the last 10 headaches',
    "I'm 45 years old",
    'in 2 days',
    'what about my summer cold',
    'spring allergies',
    'how many headaches per week',
    'how were my sundays',
    'since the accident',
    'since my 3rd dose',
    'my friend Jan said',
    "c'mon",
    '2020 vision',
    'at 10:30',
    'day 3 of my cold',
    'twice a day',
    'for a week',
    'first thing in the morning',
    'in the past I had migraines',
    'next time',
    'the day after',
    'I live on the 2nd floor',
    'I get headaches a day before my period',
    'the week before my appointment',
    'on the 3rd day of my cold',
  ])('%s', (text) => {
    const parsed = ask(text);
    expect(parsed.mentions).toEqual([]);
    expect(parsed.contextual).toBeNull();
  });
});

describe('parseTime: follow-up references to the period in context', () => {
  it.each([
    ['and the week before?', 'week', 1, 'the week before'],
    ['the month before', 'month', 1, 'the month before'],
    ['and the previous month?', 'month', 1, 'the previous month'],
    ['the year before', 'year', 1, 'the year before'],
    ['what about the day before', 'day', 1, 'the day before'],
    ['and the 2 weeks before that?', 'week', 2, 'the 2 weeks before'],
    ['a week earlier?', 'week', 1, 'a week earlier'],
    ['the week before was bad', 'week', 1, 'the week before'],
  ])('%s shifts back', (text, unit, amount, phrase) => {
    const parsed = ask(text);
    expect(parsed.mentions).toEqual([]);
    expect(parsed.contextual).toMatchObject({ kind: 'shift', unit, amount, text: phrase });
    const c = parsed.contextual!;
    expect(text.slice(c.start, c.end)).toBe(phrase);
  });

  it.each([
    ['how bad was it that week', 'that week'],
    ['anything else in that period?', 'that period'],
    ['what did I log that day', 'that day'],
    ['how bad was it then?', 'then'],
    ['and during that time?', 'that time'],
    ['what else happened that month', 'that month'],
    ['back then', 'back then'],
    ['that day I fainted', 'that day'],
  ])('%s points at the same period', (text, phrase) => {
    const parsed = ask(text);
    expect(parsed.mentions).toEqual([]);
    expect(parsed.contextual).toMatchObject({ kind: 'same', text: phrase });
  });

  it('"the day before yesterday" and "the week before last" are periods, not follow-ups', () => {
    expect(ask('the day before yesterday').contextual).toBeNull();
    expect(ask('and the week before last?').contextual).toBeNull();
    expect(only('and the week before last?').text).toBe('the week before last');
  });

  it('"since then", "and then" are not read', () => {
    expect(ask('has it got better since then').contextual).toBeNull();
    expect(ask('and then?').contextual).toBeNull();
  });

  it('a shift asked with nothing in context reads from the current period', () => {
    const options = { referenceTime: new Date(R), timeZone: BERLIN };
    const week = resolveContextualAlone(ask('the week before').contextual!, options)!;
    expect([
      localDate(week.from.getTime(), BERLIN),
      localDate(week.to.getTime() - 1, BERLIN),
    ]).toEqual(['2025-10-27', '2025-11-02']);
    const day = resolveContextualAlone(ask('the day before').contextual!, options)!;
    expect(localDate(day.from.getTime(), BERLIN)).toBe('2025-11-04');
    expect(resolveContextualAlone(ask('that week').contextual!, options)).toBeNull();
  });
});

describe('shiftRange', () => {
  const range = (first: string, last: string, zone = BERLIN) => ({
    from: new Date(local(first, zone)),
    to: new Date(local(nextDay(last), zone)),
  });
  const shown = (r: { from: Date; to: Date }, zone = BERLIN) => [
    localDate(r.from.getTime(), zone),
    localDate(r.to.getTime() - 1, zone),
  ];

  it('the week before last week', () => {
    expect(shown(shiftRange(range('2025-10-27', '2025-11-02'), 'week', 1, BERLIN))).toEqual([
      '2025-10-20',
      '2025-10-26',
    ]);
  });

  it('a month before 1 October is 1 September', () => {
    expect(shown(shiftRange(range('2025-10-01', '2025-10-31'), 'month', 1, BERLIN))).toEqual([
      '2025-09-01',
      '2025-09-30',
    ]);
  });

  it('a month before 31 March clamps to the end of February (leap years too)', () => {
    expect(shown(shiftRange(range('2026-03-31', '2026-03-31'), 'month', 1, BERLIN))).toEqual([
      '2026-02-28',
      '2026-03-30',
    ]);
    expect(shown(shiftRange(range('2028-03-31', '2028-03-31'), 'month', 1, BERLIN))).toEqual([
      '2028-02-29',
      '2028-03-30',
    ]);
  });

  it('the day before and the year before', () => {
    expect(shown(shiftRange(range('2025-11-04', '2025-11-04'), 'day', 1, BERLIN))).toEqual([
      '2025-11-03',
      '2025-11-03',
    ]);
    expect(shown(shiftRange(range('2025-01-01', '2025-12-31'), 'year', 1, BERLIN))).toEqual([
      '2024-01-01',
      '2024-12-31',
    ]);
  });

  it('is midnight to midnight across the end of DST (7×24 h + 1 h)', () => {
    const shifted = shiftRange(range('2025-10-27', '2025-11-02'), 'week', 1, BERLIN);
    expect(shifted.from.getTime()).toBe(local('2025-10-20', BERLIN));
    expect(shifted.to.getTime() - shifted.from.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });
});

describe('parseTime: time zones and DST', () => {
  it('reads "today" in the given zone (Tokyo is already on the 6th)', () => {
    const at = { at: '2025-11-05T20:00:00Z', zone: 'Asia/Tokyo' };
    const m = expectDays('today', '2025-11-06', '2025-11-06', at);
    expect(m.from.toISOString()).toBe('2025-11-05T15:00:00.000Z');
    expectDays('yesterday', '2025-11-05', '2025-11-05', at);
    expectDays('on Wednesday', '2025-11-05', '2025-11-05', at);
  });

  it('reads "today" in New York (still the 4th) and its last week across the end of DST', () => {
    const at = { at: '2025-11-05T03:00:00Z', zone: 'America/New_York' };
    const today = expectDays('today', '2025-11-04', '2025-11-04', at);
    expect(today.from.toISOString()).toBe('2025-11-04T05:00:00.000Z');
    const week = expectDays('last week', '2025-10-27', '2025-11-02', at);
    expect(week.from.toISOString()).toBe('2025-10-27T04:00:00.000Z');
    expect(week.to.getTime() - week.from.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });

  it('Berlin: a last week that spans the end of DST is 7×24 h + 1 h, midnight to midnight', () => {
    const at = { at: '2025-10-29T10:00:00Z' };
    const week = expectDays('last week', '2025-10-20', '2025-10-26', at);
    expect(week.from.toISOString()).toBe('2025-10-19T22:00:00.000Z');
    expect(week.to.toISOString()).toBe('2025-10-26T23:00:00.000Z');
    expect(week.to.getTime() - week.from.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });

  it('Berlin: the day DST ends has 25 hours, the day it starts 23', () => {
    const end = expectDays('on October 26', '2025-10-26', '2025-10-26', {
      at: '2025-11-01T10:00:00Z',
    });
    expect(end.to.getTime() - end.from.getTime()).toBe(25 * HOUR);
    const start = expectDays('on March 30', '2025-03-30', '2025-03-30', {
      at: '2025-04-02T10:00:00Z',
    });
    expect(start.to.getTime() - start.from.getTime()).toBe(23 * HOUR);
    const week = expectDays('last week', '2025-03-24', '2025-03-30', {
      at: '2025-04-02T10:00:00Z',
    });
    expect(week.to.getTime() - week.from.getTime()).toBe(7 * 24 * HOUR - HOUR);
  });

  it('Berlin: "the past week" across the end of DST keeps the clock time', () => {
    const m = expectToNow('the past week', '2025-10-22 12:00', { at: '2025-10-29T11:00:00Z' });
    expect(m.to.getTime() - m.from.getTime()).toBe(7 * 24 * HOUR + HOUR);
  });

  it('Sydney: a last week across the start of (southern) DST is 7×24 h − 1 h', () => {
    const at = { at: '2025-10-08T02:00:00Z', zone: 'Australia/Sydney' };
    const week = expectDays('last week', '2025-09-29', '2025-10-05', at);
    expect(week.to.getTime() - week.from.getTime()).toBe(7 * 24 * HOUR - HOUR);
    expect(week.from.toISOString()).toBe('2025-09-28T14:00:00.000Z');
  });

  it('Sydney: seasons turn the other way', () => {
    const at = { at: '2025-11-05T02:00:00Z', zone: 'Australia/Sydney' };
    expectDays('last summer', '2024-12-01', '2025-02-28', at);
    expectDays('last winter', '2025-06-01', '2025-08-31', at);
  });

  it('New York: month and weekday in the zone', () => {
    const at = { at: '2026-03-01T03:00:00Z', zone: 'America/New_York' };
    expectDays('last month', '2026-01-01', '2026-01-31', at);
    expectToNow('this month', '2026-02-01', at);
    expectDays('on Saturday', '2026-02-21', '2026-02-21', at);
  });
});

describe('parseTime: month ends, leap years and year boundaries', () => {
  const endOfMarch = { at: '2026-03-31T08:00:00Z' };

  it('31 March: last month is February', () => {
    expectDays('last month', '2026-02-01', '2026-02-28', endOfMarch);
  });

  it('31 March: a month ago clamps to the end of February (28th, or 29th in a leap year)', () => {
    expectDays('a month ago', '2026-02-28', '2026-02-28', endOfMarch);
    expectDays('a month ago', '2028-02-29', '2028-02-29', { at: '2028-03-31T08:00:00Z' });
    expectToNow('the past month', '2026-02-28 10:00', endOfMarch);
  });

  it('29 February 2028: a year ago is 28 February 2027; "Feb 29" with no year is the last one', () => {
    const leap = { at: '2028-02-29T12:00:00Z' };
    expectDays('today', '2028-02-29', '2028-02-29', leap);
    expectDays('a year ago', '2027-02-28', '2027-02-28', leap);
    expectToNow('this month', '2028-02-01', { at: '2028-02-29T22:59:00Z' });
    expectDays('last month', '2028-02-01', '2028-02-29', { at: '2028-03-01T00:00:00Z' });
    expectDays('on February 29', '2024-02-29', '2024-02-29', { at: '2026-05-01T12:00:00Z' });
    expectDays('on February 29', '2028-02-29', '2028-02-29', leap);
  });

  it('the 31st skips months without one', () => {
    expectDays('on the 31st', '2026-01-31', '2026-01-31', { at: '2026-03-05T12:00:00Z' });
  });

  it('January: last month is December of the year before', () => {
    const jan = { at: '2026-01-02T09:00:00Z' };
    expectDays('last month', '2025-12-01', '2025-12-31', jan);
    expectDays('last year', '2025-01-01', '2025-12-31', jan);
    expectDays('yesterday', '2026-01-01', '2026-01-01', jan);
    expectDays('in December', '2025-12-01', '2025-12-31', jan);
    expectDays('in March', '2025-03-01', '2025-03-31', jan);
  });

  it('the first days of January: weeks run over the turn of the year', () => {
    const jan = { at: '2026-01-02T09:00:00Z' };
    expectDays('last week', '2025-12-22', '2025-12-28', jan);
    expectToNow('this week', '2025-12-29', jan);
    expectToNow('this year', '2026-01-01', jan);
    expectDays('between December 28 and January 1', '2025-12-28', '2026-01-01', jan);
  });
});

describe('parseTime: past bias', () => {
  it('"in March" asked in February 2026 means March 2025', () => {
    expectDays('in March', '2025-03-01', '2025-03-31', { at: '2026-02-10T12:00:00Z' });
  });

  it('"on Friday" asked on a Friday means the Friday before; "this Friday" means today', () => {
    const friday = { at: '2025-11-07T12:00:00Z' };
    expectDays('on Friday', '2025-10-31', '2025-10-31', friday);
    expectDays('this Friday', '2025-11-07', '2025-11-07', friday);
    expectDays('next Friday', '2025-11-14', '2025-11-14', friday);
  });

  it('"on March 3" asked on 3 March is today; "the 20th" asked on the 19th is last month\'s', () => {
    expectDays('on March 3', '2026-03-03', '2026-03-03', { at: '2026-03-03T10:00:00Z' });
    expectDays('on the 20th', '2025-10-20', '2025-10-20', { at: '2025-11-19T10:00:00Z' });
    expectDays('on the 20th', '2025-11-20', '2025-11-20', { at: '2025-11-20T10:00:00Z' });
  });

  it('weekends on Saturday, Sunday and Monday', () => {
    const saturday = { at: '2025-11-08T10:00:00Z' };
    expectToNow('this weekend', '2025-11-08', saturday);
    expectToNow('over the weekend', '2025-11-08', saturday);
    expectDays('last weekend', '2025-11-01', '2025-11-02', saturday);
    const sunday = { at: '2025-11-09T10:00:00Z' };
    expectDays('last weekend', '2025-11-01', '2025-11-02', sunday);
    expectDays('over the weekend', '2025-11-08', '2025-11-09', { at: '2025-11-10T10:00:00Z' });
    expectDays('last weekend', '2025-11-08', '2025-11-09', { at: '2025-11-10T10:00:00Z' });
  });

  it('seasons: the current one is "this", the one before is "last"', () => {
    const july = { at: '2025-07-15T10:00:00Z' };
    expectDays('this summer', '2025-06-01', '2025-08-31', july);
    expectDays('last summer', '2024-06-01', '2024-08-31', july);
    expectDays('this winter', '2024-12-01', '2025-02-28', july);
  });
});

interface EvalExpect {
  fromDate?: string | string[];
  toDate?: string | string[];
  timeRange?: null;
  comparison?: { fromDate: string | string[]; toDate: string | string[] };
}
interface EvalRow {
  text: string;
  referenceTime: string;
  timezone: string;
  expect: EvalExpect;
}
interface Dialogue {
  referenceTime: string;
  timezone: string;
  turns: { text: string; expect: EvalExpect }[];
}

const anyOf = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Whether a range matches an expectation's inclusive dates. */
function matches(
  range: { from: Date; to: Date } | null,
  want: { fromDate?: string | string[]; toDate?: string | string[] },
  zone: string,
): boolean {
  if (!range || !want.fromDate || !want.toDate) return false;
  const first = localDate(range.from.getTime(), zone);
  const last = localDate(range.to.getTime() - 1, zone);
  return anyOf(want.fromDate).includes(first) && anyOf(want.toDate).includes(last);
}

/** The time expectations of one nlu-dev row; true when they all hold. */
function rowHolds(row: EvalRow): boolean {
  const parsed = parseTime(row.text, {
    referenceTime: new Date(row.referenceTime),
    timeZone: row.timezone,
  });
  const e = row.expect;
  if (e.timeRange === null) return parsed.mentions.length === 0 && parsed.contextual === null;
  if (!matches(parsed.mentions[0] ?? null, e, row.timezone)) return false;
  return !e.comparison || matches(parsed.mentions[1] ?? null, e.comparison, row.timezone);
}

/** Plays a dialogue's periods: a mention replaces, a shift moves, anything else inherits. */
function dialogueHolds(d: Dialogue): boolean {
  let current: { from: Date; to: Date } | null = null;
  for (const turn of d.turns) {
    const parsed = parseTime(turn.text, {
      referenceTime: new Date(d.referenceTime),
      timeZone: d.timezone,
    });
    const c = parsed.contextual;
    if (parsed.mentions.length > 0) current = parsed.mentions[0];
    else if (c?.kind === 'shift' && current)
      current = shiftRange(current, c.unit, c.amount, d.timezone);
    if (turn.expect.timeRange === null) {
      if (parsed.mentions.length > 0) return false;
      continue;
    }
    if (turn.expect.fromDate && !matches(current, turn.expect, d.timezone)) return false;
  }
  return true;
}

const timeExpected = (e: EvalExpect) => e.fromDate !== undefined || e.timeRange === null;

/** The time cases of shared/eval, copied so that a lone clone still checks them. */
const NLU_DEV_TIME: EvalRow[] = (
  [
    ['How many headaches did I have last week?', '2025-10-27', '2025-11-02'],
    ['how often was I dizzy this month', '2025-11-01', ['2025-11-05', '2025-11-30']],
    ['Number of times I threw up in October', '2025-10-01', '2025-10-31'],
    ['how many migraines in the past 2 weeks', ['2025-10-22', '2025-10-23'], '2025-11-05'],
    ['count my coughing fits since monday', '2025-11-03', '2025-11-05'],
    ["How many nights couldn't I sleep last month?", '2025-10-01', '2025-10-31'],
    ['how many times did my stomach hurt yesterday', '2025-11-04', '2025-11-04'],
    ['how many severe headaches this year', '2025-01-01', ['2025-11-05', '2025-12-31']],
    ['how many mild back pain days in september', '2025-09-01', '2025-09-30'],
    ['When did I first log heartburn this year?', '2025-01-01', ['2025-11-05', '2025-12-31']],
    ['Show me what I logged yesterday', '2025-11-04', '2025-11-04'],
    ['list my rashes from august', '2025-08-01', '2025-08-31'],
    [
      'show all entries for sore throat between october 10 and october 20',
      '2025-10-10',
      '2025-10-20',
    ],
    ['What did I record over the weekend?', '2025-11-01', '2025-11-02'],
    ['show my symptoms from last week except headaches', '2025-10-27', '2025-11-02'],
    ['what was the average severity of my migraines in october', '2025-10-01', '2025-10-31'],
    [
      'how has my insomnia changed over the last 3 months',
      ['2025-08-05', '2025-08-06'],
      '2025-11-05',
    ],
    ['What was my most common symptom last month?', '2025-10-01', '2025-10-31'],
    ['overview of my health in october please', '2025-10-01', '2025-10-31'],
    ['how often did my heart race in the past month', ['2025-10-05', '2025-10-06'], '2025-11-05'],
    ['how bad was the pins and needles in my hands 3 days ago', '2025-11-02', '2025-11-02'],
  ] as [string, string | string[], string | string[]][]
)
  .map(([text, fromDate, toDate]): EvalRow => ({
    text,
    referenceTime: R,
    timezone: BERLIN,
    expect: { fromDate, toDate },
  }))
  .concat(
    [
      'When did I last have a fever?',
      'last time i felt nauseous?',
      'when was my most recent panic attack',
      'when did my knee pain start',
      'Is my fatigue getting better?',
      'What usually comes with my dizziness?',
      'do I have the flu?',
      'show my ringing ears entries',
      'when did I last feel light-headed',
    ].map((text) => ({ text, referenceTime: R, timezone: BERLIN, expect: { timeRange: null } })),
    [
      {
        text: 'Did I have more headaches in September or October?',
        referenceTime: R,
        timezone: BERLIN,
        expect: {
          fromDate: '2025-09-01',
          toDate: '2025-09-30',
          comparison: { fromDate: '2025-10-01', toDate: '2025-10-31' },
        },
      },
      {
        text: 'compare my anxiety this week with last week',
        referenceTime: R,
        timezone: BERLIN,
        expect: {
          fromDate: '2025-11-03',
          toDate: ['2025-11-05', '2025-11-09'],
          comparison: { fromDate: '2025-10-27', toDate: '2025-11-02' },
        },
      },
    ],
  );

const DIALOGUES_DEV: Dialogue[] = [
  {
    referenceTime: R,
    timezone: BERLIN,
    turns: [
      { text: 'is my back pain getting worse', expect: { timeRange: null } },
      {
        text: 'how many times this month',
        expect: { fromDate: '2025-11-01', toDate: ['2025-11-05', '2025-11-30'] },
      },
      { text: 'ok thanks', expect: {} },
    ],
  },
  {
    referenceTime: R,
    timezone: BERLIN,
    turns: [
      {
        text: 'show my nausea entries from last week',
        expect: { fromDate: '2025-10-27', toDate: '2025-11-02' },
      },
      { text: 'what about vomiting?', expect: { fromDate: '2025-10-27', toDate: '2025-11-02' } },
      { text: 'and the week before?', expect: { fromDate: '2025-10-20', toDate: '2025-10-26' } },
    ],
  },
  {
    referenceTime: R,
    timezone: BERLIN,
    turns: [
      {
        text: 'how many migraines did I have in october',
        expect: { fromDate: '2025-10-01', toDate: '2025-10-31' },
      },
      { text: 'and in september?', expect: { fromDate: '2025-09-01', toDate: '2025-09-30' } },
      { text: 'how bad were they?', expect: { fromDate: '2025-09-01', toDate: '2025-09-30' } },
      { text: 'when was the most recent one?', expect: { timeRange: null } },
    ],
  },
  {
    referenceTime: R,
    timezone: BERLIN,
    turns: [
      {
        text: 'what were my most common symptoms in october',
        expect: { fromDate: '2025-10-01', toDate: '2025-10-31' },
      },
      { text: 'and the month before?', expect: { fromDate: '2025-09-01', toDate: '2025-09-30' } },
    ],
  },
];

describe('parseTime: the time cases of shared/eval (copied)', () => {
  it.each(NLU_DEV_TIME.map((row) => [row.text, row]))('%s', (_text, row) => {
    expect(rowHolds(row)).toBe(true);
  });

  it.each(DIALOGUES_DEV.map((d) => [d.turns[0].text, d]))('dialogue: %s', (_text, d) => {
    expect(dialogueHolds(d)).toBe(true);
  });
});

const EVAL_DIR = path.join(__dirname, '../../../../../../shared/eval');
const readJsonl = <T>(file: string): T[] =>
  readFileSync(path.join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

// Required in CI (shared/ sits beside the clone there); only a lone clone may lack it.
const describeEval =
  existsSync(path.join(EVAL_DIR, 'nlu-dev.jsonl')) || process.env.CI === 'true'
    ? describe
    : describe.skip;

describeEval('parseTime: shared/eval files, as they are now', () => {
  it('every nlu-dev row with a time expectation holds', () => {
    const rows = readJsonl<EvalRow>('nlu-dev.jsonl').filter((row) => timeExpected(row.expect));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !rowHolds(row)).map((row) => row.text)).toEqual([]);
  });

  it('every dialogue of dialogues-dev plays its periods', () => {
    const dialogues = readJsonl<Dialogue>('dialogues-dev.jsonl');
    expect(dialogues.filter((d) => !dialogueHolds(d)).map((d) => d.turns[0].text)).toEqual([]);
  });
});
