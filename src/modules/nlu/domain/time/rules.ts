import {
  addMonths,
  dayNumber,
  daysInMonth,
  isValidDate,
  type QuestionCalendar,
  type Span,
  ymdOf,
} from './calendar';
import {
  type Holiday,
  monthPart,
  placeDate,
  placeDayOfMonth,
  placeHoliday,
  placeMonth,
  placeMonthRelative,
  placeQuarter,
  placeSeason,
  placeWeekend,
  type Placed,
  recentWeekday,
  type Season,
} from './resolve';
import {
  COUNT,
  countValue,
  DAY,
  DAY_DIGITS,
  DAY_ORDINAL_DIGITS,
  DAY_WORDS,
  dayValue,
  isAmbiguousMonth,
  isWeekdayAbbreviation,
  MONTH,
  monthNumber,
  unitOf,
  WEEKDAY,
  WEEKDAY_FULL_NAME,
  weekdayNumber,
  YEAR_SUFFIX,
} from './vocabulary';

/** How fine a mention is: comparisons keep two whole periods apart unless both are days. */
export type Grain = 'day' | 'period' | 'rolling' | 'range';

export type ShiftUnit = 'day' | 'week' | 'month' | 'year';

export type ContextualKind = { kind: 'shift'; unit: ShiftUnit; amount: number } | { kind: 'same' };

/** What one rule read at one place of the question. */
export interface Atom {
  start: number;
  end: number;
  rule: string;
  priority: number;
  grain: Grain;
  span?: Span;
  /** The same words one cycle (a year; a month for "the 20th") earlier or later, if inferred. */
  recycle?: (delta: number) => Span | null;
  contextual?: ContextualKind;
  /** "the day after": a period right after the mention that follows (dropped when none does). */
  following?: { unit: ShiftUnit; amount: number };
}

type Groups = Readonly<Record<string, string | undefined>>;

type Built = Omit<Atom, 'start' | 'end' | 'priority'> & { start?: number; end?: number };

/** The question being read: its text, calendar and hemisphere. */
export class Question {
  constructor(
    readonly text: string,
    readonly cal: QuestionCalendar,
    readonly southern: boolean,
  ) {}

  /** Whether the text just before `index` matches `re` (anchored with $). */
  before(index: number, re: RegExp): boolean {
    return re.test(this.text.slice(Math.max(0, index - 48), index));
  }

  /** Whether the text from `index` on matches `re` (anchored with ^). */
  after(index: number, re: RegExp): boolean {
    return re.test(this.text.slice(index, index + 48));
  }
}

interface Rule {
  readonly re: RegExp;
  readonly build: (m: RegExpExecArray, g: Groups, q: Question) => Built | null;
}

const rx = (source: string) => new RegExp(source, 'dgi');

/** Where a named group starts in the text. */
function groupStart(m: RegExpExecArray, name: string): number {
  return m.indices?.groups?.[name]?.[0] ?? m.index;
}

// Context tests, compiled once.
const MONTH_CONTEXT_BEFORE =
  /(?:\b(?:in|during|since|of|from|until|till|through|thru|throughout|before|after|between|early|mid|late|whole|all|by|for|around|about)\s+|\bmid-)$/i;
const MONTH_LIST_BEFORE = new RegExp(
  `\\b${MONTH}\\s*(?:,|and|or|to|through|thru|till|until|vs\\.?|versus|compared\\s+(?:to|with)|-|–|&)\\s*$`,
  'i',
);
const MONTH_LIST_AFTER = new RegExp(
  `^\\s*(?:,|and|or|to|through|thru|till|until|vs\\.?|versus|-|–|&)\\s*${MONTH}`,
  'i',
);
/** What may follow a date phrase that ends a clause. */
const PHRASE_END_AFTER =
  /^(?:\s*(?:[?.!,;:)]|$)|\s+(?:and|or|to|through|thru|till|until|vs|versus|compared|than|with|in|on|at|for|when|what|how|i|my|did|was|were|last|this|so|but|please)\b|\s*[-–])/i;
/** Counts, doses and scores: "march 3 times", "3/10". */
const COUNT_NOUN_AFTER =
  /^\s*(?:times?|x|out\s+of|\/|%|mg|ml|hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|pills?|tablets?|doses?|episodes?|entries|headaches?|migraines?|kg|lbs?|or\s+(?:more|less|worse|higher|lower))\b/i;
const SLASH_CONTEXT_BEFORE = new RegExp(
  `(?:\\b(?:on|since|from|between|until|till|through|thru|to|and|by|before|after|starting)|${WEEKDAY},?)\\s+$`,
  'i',
);
const WEEKDAY_CONTEXT_BEFORE =
  /\b(?:on|since|from|between|until|till|through|thru|to|and|or|by|before|after|vs\.?|versus|starting|than|with)\s+$/i;
const EVERY_BEFORE = /\b(?:every|each|most|all|other)\s+$/i;
const SCORE_BEFORE =
  /\b(?:rated?|rating|severity|level|score|scale|intensity|pain|about|around|a|an|at|was|is|of)\s+$/i;
const MOST_BEFORE = /\b(?:most|how|more|less|least)\s+$/i;
const THE_BEFORE = /\bthe\s+$/i;
const WORD_DAY = new RegExp(`^${DAY_WORDS}$`, 'i');
const YEAR_CONTEXT_BEFORE =
  /\b(?:in|during|since|of|for|from|throughout|through|thru|until|till|between|and|or|to|vs\.?|versus|by|before|after|early|late|mid|year)\s+$/i;
const YEAR_LIST_AFTER = /^\s*(?:-|–|to|through|vs\.?|versus|or|and)\s*(?:19|20)\d{2}\b/i;
const SEASON_CONTEXT_BEFORE =
  /\b(?:in|during|over|since|throughout|through|all|whole|this|last|past|until|till|before|after|of)\s+(?:the\s+)?$/i;
const SEASON_LIST_BEFORE =
  /\b(?:spring|summer|autumn|fall|winter)\s*(?:vs\.?|versus|or|and|to|compared\s+(?:to|with))\s+$/i;
const SEASON_LIST_AFTER =
  /^\s*(?:vs\.?|versus|or|and|compared\s+(?:to|with))\s+(?:the\s+|this\s+|last\s+)?(?:spring|summer|autumn|winter)\b/i;
const AFTER_THEN_BEFORE =
  /\b(?:and|since|but|so|or|from|until|till|by|even|just|only|now|right)\s+$/i;
const WEEKEND_BEFORE_AFTER = /^\s+before\b(?!\s+last)/i;
const BACK_PAIN_AFTER = /^\s+(?:pain|aches?|problems?|spasms?|injury|issues?)\b/i;
const SAME_TIME_BEFORE = /\bat\s+$/i;
const UNIT_ABBREVIATION = /^(?:hr|wk|mth|mo|yr)$/i;

/** The year a YEAR_SUFFIX names, if any. */
function suffixYear(g: Groups, cal: QuestionCalendar): number | undefined {
  if (g.y) return Number(g.y);
  if (g.y2) return 2000 + Number(g.y2);
  if (g.yrel) {
    const rel = g.yrel.toLowerCase();
    return cal.year + (rel === 'last' ? -1 : rel === 'next' ? 1 : 0);
  }
  return undefined;
}

/**
 * Whether a month word that is also an ordinary word ("may", "march", "oct") is meant as a
 * month here. `strong`: a year, "of", "the" or an ordinal says so. `mod`: this/last/next before
 * it. `digitsDay`: a plain day number is next to it, which counts when the phrase ends there.
 */
export function monthWordIsMonth(
  q: Question,
  word: string,
  start: number,
  end: number,
  evidence: { strong?: boolean; mod?: string; digitsDay?: boolean },
): boolean {
  if (!isAmbiguousMonth(word) || evidence.strong) return true;
  const endsPhrase = q.after(end, PHRASE_END_AFTER);
  // "this may be nothing": a modifier alone is thin evidence for "may".
  if (evidence.mod) return !/^may$/i.test(word) || endsPhrase;
  if (q.before(start, MONTH_CONTEXT_BEFORE) || q.before(start, MONTH_LIST_BEFORE)) return true;
  if (q.after(end, MONTH_LIST_AFTER)) return true;
  return !!evidence.digitsDay && endsPhrase && !q.after(end, COUNT_NOUN_AFTER);
}

function calendarPeriod(
  cal: QuestionCalendar,
  unit: 'week' | 'month' | 'year' | 'quarter',
  offset: number,
): Span {
  if (unit === 'week') {
    const monday = cal.weekStart(cal.today) + offset * 7;
    return offset === 0
      ? { from: cal.dayStart(monday), to: cal.now }
      : cal.days(monday, monday + 6);
  }
  const months = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
  const first = unit === 'year' ? 1 : Math.floor((cal.month - 1) / months) * months + 1;
  const index = cal.year * 12 + first - 1 + offset * months;
  const span = cal.months(Math.floor(index / 12), (index % 12) + 1, months);
  return offset === 0 ? { from: span.from, to: cal.now } : span;
}

const placed = (rule: string, grain: Grain, p: Placed | null): Built | null =>
  p ? { rule, grain, span: p.span, recycle: p.recycle } : null;

const RELATIVE_MONTH = '(?<rel>this|last|next|the)\\s+month';

function relativeMonth(g: Groups, cal: QuestionCalendar): [number, number] | undefined {
  if (g.mn) {
    const month = monthNumber(g.mn);
    const year = suffixYear(g, cal) ?? (month <= cal.month ? cal.year : cal.year - 1);
    return [year, month];
  }
  const rel = (g.rel ?? 'this').toLowerCase();
  const offset = rel === 'last' ? -1 : rel === 'next' ? 1 : 0;
  const index = cal.year * 12 + cal.month - 1 + offset;
  return [Math.floor(index / 12), (index % 12) + 1];
}

const HOLIDAYS: ReadonlyArray<[RegExp, Holiday]> = [
  [/^christmas\s+eve|^xmas\s+eve/i, 'christmas_eve'],
  [/^boxing/i, 'boxing_day'],
  [/^(?:christmas|xmas)/i, 'christmas'],
  [/^new\s+year['’]?s?\s+eve/i, 'new_years_eve'],
  [/^new\s+year/i, 'new_year'],
  [/^halloween/i, 'halloween'],
  [/^valentine/i, 'valentines'],
  [/^thanksgiving/i, 'thanksgiving'],
];

/**
 * The rules, most specific first: on a tie in length the earlier rule wins. Every match is a
 * candidate; the reader keeps the longest of overlapping candidates.
 */
export const RULES: readonly Rule[] = [
  // Follow-ups that point at the period in context.
  {
    re: rx(
      `\\b(?:the\\s+)?(?:(?<n>${COUNT})\\s+)?(?<unit>day|week|month|year)(?<pl>s)?\\s+(?:before|prior|earlier)\\b`,
    ),
    build: (_m, g) => {
      if (g.pl && !g.n) return null;
      const unit = g.unit!.toLowerCase() as ShiftUnit;
      const amount = g.n ? countValue(g.n) : 1;
      return {
        rule: 'contextual:shift',
        grain: 'period',
        contextual: { kind: 'shift', unit, amount },
      };
    },
  },
  {
    re: rx(
      `\\b(?:the\\s+)?(?:(?<n>${COUNT})\\s+)?(?<unit>day|week|month|year)(?<pl>s)?\\s+(?:after|following)\\b`,
    ),
    build: (_m, g) => {
      if (g.pl && !g.n) return null;
      const unit = g.unit!.toLowerCase() as ShiftUnit;
      return {
        rule: 'following',
        grain: 'period',
        following: { unit, amount: g.n ? countValue(g.n) : 1 },
      };
    },
  },
  {
    re: rx('\\bthe\\s+(?:previous|prior|preceding)\\s+(?<unit>day|week|month|year)\\b'),
    build: (_m, g) => ({
      rule: 'contextual:shift',
      grain: 'period',
      contextual: { kind: 'shift', unit: g.unit!.toLowerCase() as ShiftUnit, amount: 1 },
    }),
  },
  {
    re: rx(
      '\\b(?:that|the\\s+same)\\s+(?:day|week|weekend|month|year|period|time\\s+period|time\\s*frame|time|quarter|season|date|span|stretch)(?![a-z])|\\bthose\\s+(?:days|weeks|months)\\b|\\b(?:back|around|about)\\s+then\\b|\\bat\\s+that\\s+(?:time|point)\\b',
    ),
    build: (m, _g, q) =>
      /same/i.test(m[0]) && q.before(m.index, SAME_TIME_BEFORE)
        ? null
        : { rule: 'contextual:same', grain: 'period', contextual: { kind: 'same' } },
  },
  {
    re: rx('\\bthen\\b(?=\\s*(?:[?.!,;]|$))'),
    build: (m, _g, q) =>
      q.before(m.index, AFTER_THEN_BEFORE)
        ? null
        : { rule: 'contextual:same', grain: 'period', contextual: { kind: 'same' } },
  },

  // Days named relative to today.
  {
    re: rx('\\b(?:the\\s+)?(?:day\\s+before\\s+yesterday|night\\s+before\\s+last)\\b'),
    build: (_m, _g, q) => ({
      rule: 'relative_day:day_before_yesterday',
      grain: 'day',
      span: q.cal.day(q.cal.today - 2),
    }),
  },
  {
    re: rx(
      '\\b(?:(?:yesterday|yday|ystday|yest)(?:\\s+(?:morning|afternoon|evening|night))?|last\\s+night)\\b',
    ),
    build: (_m, _g, q) => ({
      rule: 'relative_day:yesterday',
      grain: 'day',
      span: q.cal.day(q.cal.today - 1),
    }),
  },
  {
    re: rx('\\b(?:today|tonight|this\\s+(?:morning|afternoon|evening))\\b'),
    build: (_m, _g, q) => ({
      rule: 'relative_day:today',
      grain: 'day',
      span: q.cal.day(q.cal.today),
    }),
  },
  {
    re: rx('\\b(?:tomorrow|tmrw|tmrrw|tmw)\\b'),
    build: (_m, _g, q) => ({
      rule: 'relative_day:tomorrow',
      grain: 'day',
      span: q.cal.day(q.cal.today + 1),
    }),
  },

  // Calendar periods: this week, last month, the week before last, year to date.
  {
    re: rx(
      '\\b(?:the\\s+)?(?<unit>week|month|year|quarter)\\s+before\\s+last(?:\\s+(?:week|month|year|quarter))?\\b',
    ),
    build: (_m, g, q) => {
      const unit = g.unit!.toLowerCase() as 'week' | 'month' | 'year' | 'quarter';
      return {
        rule: 'calendar_period:before_last',
        grain: 'period',
        span: calendarPeriod(q.cal, unit, -2),
      };
    },
  },
  {
    re: rx(
      "\\b(?<mod>this|last|previous|next|current)\\s+(?<unit>week|wk|month|mth|mo|year|yr|quarter)\\b(?!['’]s\\s+(?:worth))",
    ),
    build: (m, g, q) => {
      const mod = g.mod!.toLowerCase();
      // "the last week" is rolling, "the previous week" points at the context.
      if ((mod === 'last' || mod === 'previous') && q.before(m.index, THE_BEFORE)) return null;
      const word = g.unit!.toLowerCase();
      const unit = (word === 'quarter' ? word : unitOf(word).unit) as
        'week' | 'month' | 'year' | 'quarter';
      const offset = mod === 'last' || mod === 'previous' ? -1 : mod === 'next' ? 1 : 0;
      const name = offset < 0 ? 'last' : offset > 0 ? 'next' : 'this';
      return {
        rule: `calendar_period:${name}`,
        grain: 'period',
        span: calendarPeriod(q.cal, unit, offset),
      };
    },
  },
  {
    re: rx(
      '\\b(?:(?<unit>week|month|year)\\s+to\\s+date|(?<abbr>[wmy])td|all\\s+(?<unit2>week|month|year)(?:\\s+long)?|(?:the\\s+)?(?:start|beginning)\\s+of\\s+(?:the|this)\\s+(?<unit3>week|month|year))\\b',
    ),
    build: (_m, g, q) => {
      const abbr = g.abbr?.toLowerCase();
      const word = (g.unit ?? g.unit2 ?? g.unit3)?.toLowerCase();
      const unit = word ?? (abbr === 'w' ? 'week' : abbr === 'm' ? 'month' : 'year');
      return {
        rule: 'calendar_period:this',
        grain: 'period',
        span: calendarPeriod(q.cal, unit as 'week' | 'month' | 'year', 0),
      };
    },
  },

  // Rolling periods: the past 2 weeks, last 30 days, this past month.
  {
    re: rx(
      `\\b(?:(?<the>the)\\s+)?(?<pp>past|last|previous|this\\s+past)\\s+(?:(?<n>${COUNT})\\s+)?(?<unit>hour|hr|day|week|wk|fortnight|month|mth|mo|year|yr)s?\\b`,
    ),
    build: (m, g, q) => {
      const pp = g.pp!.toLowerCase();
      if (!g.n && !g.the && (pp === 'last' || pp === 'previous')) return null;
      if (!g.n && UNIT_ABBREVIATION.test(g.unit!)) return null;
      if (!g.n && g.the && pp === 'previous') return null;
      if (
        !g.n &&
        q.after(m.index + m[0].length, /^\s+of\s+(?:the\s+)?(?:month|year|\w+\s+(?:month|year))\b/i)
      ) {
        return null;
      }
      const { unit, factor } = unitOf(g.unit!);
      const amount = (g.n ? countValue(g.n) : 1) * factor;
      return { rule: 'rolling', grain: 'rolling', span: q.cal.rolling(unit, amount) };
    },
  },
  {
    re: rx(
      '\\b(?:lately|recently|these\\s+days|nowadays|of\\s+late|in\\s+recent\\s+(?:days|weeks))\\b',
    ),
    // "most recently" is the latest entry; "what did I log the most lately" is a period.
    build: (m, _g, q) =>
      /^recently$/i.test(m[0]) && q.before(m.index, MOST_BEFORE)
        ? null
        : { rule: 'recent', grain: 'rolling', span: q.cal.rolling('day', 30) },
  },

  // "a week ago", "three months ago", "2 Thursdays ago".
  {
    re: rx(
      `\\b(?<n>${COUNT})\\s+(?<unit>hour|hr|day|week|wk|fortnight|month|mth|mo|year|yr)s?\\s+(?<ago>ago|back)\\b(?:\\s+today\\b)?`,
    ),
    build: (m, g, q) => {
      if (g.ago!.toLowerCase() === 'back' && q.after(m.index + m[0].length, BACK_PAIN_AFTER))
        return null;
      const { unit, factor } = unitOf(g.unit!);
      const dayNo = q.cal.daysAgo(unit, countValue(g.n!) * factor);
      return { rule: 'ago', grain: 'day', span: q.cal.day(dayNo) };
    },
  },
  {
    re: rx(
      '\\b(?:this|the\\s+same|same)\\s+time\\s+(?:last|a)\\s+(?<unit>week|month|year)(?:\\s+ago)?\\b',
    ),
    build: (_m, g, q) => {
      const { unit } = unitOf(g.unit!);
      return { rule: 'ago', grain: 'day', span: q.cal.day(q.cal.daysAgo(unit, 1)) };
    },
  },
  {
    re: rx(`\\b(?<n>${COUNT})\\s+(?<wd>${WEEKDAY_FULL_NAME})s\\s+ago\\b`),
    build: (_m, g, q) => {
      const recent = recentWeekday(q.cal, weekdayNumber(g.wd!), false);
      return {
        rule: 'ago:weekday',
        grain: 'day',
        span: q.cal.day(recent - 7 * (countValue(g.n!) - 1)),
      };
    },
  },

  // Explicit dates: "3 March", "the 3rd of March 2025", "Monday, 3 March".
  {
    re: rx(
      `(?:\\b(?<wd>${WEEKDAY}),?\\s+)?(?:\\b(?<the>the)\\s+)?(?<![a-z\\d])(?<d>${DAY})(?<of>\\s+of)?\\s+(?<mn>${MONTH})${YEAR_SUFFIX}`,
    ),
    build: (m, g, q) => {
      const wordDay = WORD_DAY.test(g.d!);
      if (wordDay && !g.the && !g.of) return null;
      const year = suffixYear(g, q.cal);
      const end = m.index + m[0].length;
      const strong = year !== undefined || wordDay || !!g.of || !!g.the || !/^\d+$/.test(g.d!);
      if (!monthWordIsMonth(q, g.mn!, groupStart(m, 'mn'), end, { strong, digitsDay: true })) {
        return null;
      }
      if (year === undefined && q.after(end, COUNT_NOUN_AFTER)) return null;
      return placed('date', 'day', placeDate(q.cal, monthNumber(g.mn!), dayValue(g.d!), year));
    },
  },
  // "March 3", "March 3rd, 2025", "Monday, March 3", "March the third".
  {
    re: rx(
      `(?:\\b(?<wd>${WEEKDAY}),?\\s+)?\\b(?<mn>${MONTH})\\s+(?:the\\s+)?(?<d>${DAY})${YEAR_SUFFIX}`,
    ),
    build: (m, g, q) => {
      const year = suffixYear(g, q.cal);
      const end = m.index + m[0].length;
      if (q.after(end, COUNT_NOUN_AFTER)) return null;
      const strong = year !== undefined || !/^\d+$/.test(g.d!);
      const evidence = { strong, digitsDay: true };
      if (!monthWordIsMonth(q, g.mn!, groupStart(m, 'mn'), end, evidence)) return null;
      return placed('date', 'day', placeDate(q.cal, monthNumber(g.mn!), dayValue(g.d!), year));
    },
  },
  // "the 20th", "on the 3rd", "Monday the 3rd", "the 20th of last month".
  {
    re: rx(
      `(?:\\b(?<wd>${WEEKDAY})\\s+)?\\bthe\\s+(?<d>${DAY_ORDINAL_DIGITS})(?:\\s+of\\s+${RELATIVE_MONTH})?`,
    ),
    build: (m, g, q) => {
      const end = m.index + m[0].length;
      // "on the 3rd I had", "since the 1st"; not "the 3rd time", "on the 2nd floor".
      if (!g.rel && !q.after(end, PHRASE_END_AFTER)) return null;
      let offset: number | undefined;
      if (g.rel) {
        const rel = g.rel.toLowerCase();
        offset = rel === 'last' ? -1 : rel === 'next' ? 1 : 0;
      }
      return placed('day_of_month', 'day', placeDayOfMonth(q.cal, dayValue(g.d!), offset));
    },
  },
  // ISO and numeric dates: 2025-03-03, 2025/03/03, 10/20, 10/20/2025, 20.10.2025, 2025-03.
  {
    re: rx('(?<![\\d/.-])(?<y>(?:19|20)\\d{2})[-/](?<m>\\d{1,2})[-/](?<d>\\d{1,2})(?![\\d/-])'),
    build: (_m, g, q) =>
      placed('iso_date', 'day', placeDate(q.cal, Number(g.m), Number(g.d), Number(g.y))),
  },
  {
    re: rx('(?<![\\d/.-])(?<y>(?:19|20)\\d{2})-(?<m>0[1-9]|1[0-2])(?![\\d/-])'),
    build: (_m, g, q) => placed('iso_month', 'period', placeMonth(q.cal, Number(g.m), Number(g.y))),
  },
  {
    re: rx(
      `(?:\\b(?<wd>${WEEKDAY}),?\\s+)?(?<![\\d/.-])(?<m>1[0-2]|0?[1-9])/(?<d>[12]\\d|3[01]|0?[1-9])(?:/(?<y>\\d{4}|\\d{2}))?(?![\\d/]|\\.\\d)`,
    ),
    build: (m, g, q) => {
      const dated = !!g.wd || q.before(m.index, SLASH_CONTEXT_BEFORE);
      if (!dated && q.before(m.index, SCORE_BEFORE)) return null;
      const day = Number(g.d);
      if (!g.y && !dated) {
        // "7/10" is a score and "1/2" a fraction unless a date word or the phrase's end says so.
        if (day === 10 || day === 5 || !q.after(m.index + m[0].length, PHRASE_END_AFTER))
          return null;
      }
      const year = g.y ? (g.y.length === 2 ? 2000 + Number(g.y) : Number(g.y)) : undefined;
      return placed('numeric_date', 'day', placeDate(q.cal, Number(g.m), day, year));
    },
  },
  {
    re: rx(
      '(?<![\\d.])(?<d>[12]\\d|3[01]|0?[1-9])\\.(?<m>1[0-2]|0?[1-9])\\.(?<y>(?:19|20)\\d{2})(?![\\d.])',
    ),
    build: (_m, g, q) =>
      placed('numeric_date', 'day', placeDate(q.cal, Number(g.m), Number(g.d), Number(g.y))),
  },

  // Ranges of days inside one phrase: "Oct 10-20", "October 10 to November 2", "10-20 October".
  {
    re: rx(
      `\\b(?<mn>${MONTH})\\s+(?<d1>${DAY_DIGITS})\\s*(?:-|–|—|to|through|thru|until|till)\\s*(?:(?<mn2>${MONTH})\\s+)?(?<d2>${DAY_DIGITS})${YEAR_SUFFIX}`,
    ),
    build: (m, g, q) => {
      const end = m.index + m[0].length;
      if (q.after(end, COUNT_NOUN_AFTER)) return null;
      const year = suffixYear(g, q.cal);
      const evidence = { strong: year !== undefined, digitsDay: true };
      if (!monthWordIsMonth(q, g.mn!, groupStart(m, 'mn'), end, evidence)) return null;
      return dayRange(
        q,
        monthNumber(g.mn!),
        dayValue(g.d1!),
        g.mn2 ? monthNumber(g.mn2) : undefined,
        dayValue(g.d2!),
        year,
      );
    },
  },
  {
    re: rx(
      `(?:\\b(?<btw>between)\\s+)?(?:\\bthe\\s+)?(?<d1>${DAY_DIGITS})\\s*(?<conn>-|–|—|to|through|thru|until|till|and)\\s*(?:the\\s+)?(?<d2>${DAY_DIGITS})(?:\\s+of)?\\s+(?<mn>${MONTH})${YEAR_SUFFIX}`,
    ),
    build: (m, g, q) => {
      if (g.conn!.toLowerCase() === 'and' && !g.btw) return null;
      const end = m.index + m[0].length;
      const year = suffixYear(g, q.cal);
      const evidence = { strong: year !== undefined, digitsDay: true };
      if (!monthWordIsMonth(q, g.mn!, groupStart(m, 'mn'), end, evidence)) return null;
      const month = monthNumber(g.mn!);
      return dayRange(q, month, dayValue(g.d1!), undefined, dayValue(g.d2!), year);
    },
  },

  // Parts of a month: "early October", "the end of last month", "the first week of October".
  {
    re: rx(
      `\\b(?:(?<part>early|mid|late)[\\s-]+(?:in\\s+)?|(?:the\\s+)?(?<part2>beginning|start|middle|end)\\s+of\\s+)(?:(?<mn>${MONTH})${YEAR_SUFFIX}|${RELATIVE_MONTH})`,
    ),
    build: (m, g, q) => {
      const ym = relativeMonth(g, q.cal);
      if (!ym) return null;
      const part = (g.part ?? g.part2)!.toLowerCase();
      const [first, last] =
        part === 'early' || part === 'beginning' || part === 'start'
          ? [1, 10]
          : part === 'mid' || part === 'middle'
            ? [11, 20]
            : [21, 31];
      return {
        rule: 'part_of_month',
        grain: 'period',
        span: monthPart(q.cal, ym[0], ym[1], first, last),
      };
    },
  },
  {
    re: rx(
      `\\b(?:the\\s+)?(?<ord>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\\s+(?<unit>week|day)\\s+(?:of|in)\\s+(?:(?<mn>${MONTH})${YEAR_SUFFIX}|${RELATIVE_MONTH})`,
    ),
    build: (_m, g, q) => {
      const ym = relativeMonth(g, q.cal);
      if (!ym) return null;
      const [year, month] = ym;
      const length = daysInMonth(year, month);
      const ord = g.ord!.toLowerCase();
      const index = /^(?:last|final)$/.test(ord)
        ? -1
        : Number(/\d/.test(ord) ? ord[0] : ['first', 'second', 'third', 'fourth'].indexOf(ord) + 1);
      if (g.unit!.toLowerCase() === 'day') {
        const day = index < 0 ? length : index;
        return { rule: 'day_of_month', grain: 'day', span: q.cal.day(dayNumber(year, month, day)) };
      }
      const [first, last] = index < 0 ? [length - 6, length] : [index * 7 - 6, index * 7];
      return {
        rule: 'week_of_month',
        grain: 'period',
        span: monthPart(q.cal, year, month, first, last),
      };
    },
  },

  {
    re: rx(
      `\\b(?:the\\s+)?(?<ord>first|last|final)\\s+(?<n>${COUNT})\\s+(?<unit>day|week)s?\\s+(?:of|in)\\s+(?:(?<mn>${MONTH})${YEAR_SUFFIX}|${RELATIVE_MONTH})`,
    ),
    build: (_m, g, q) => {
      const ym = relativeMonth(g, q.cal);
      if (!ym) return null;
      const [year, month] = ym;
      const count = countValue(g.n!) * (g.unit!.toLowerCase() === 'week' ? 7 : 1);
      const length = daysInMonth(year, month);
      const first = g.ord!.toLowerCase() === 'first' ? 1 : Math.max(1, length - count + 1);
      const last = g.ord!.toLowerCase() === 'first' ? Math.min(count, length) : length;
      return {
        rule: 'part_of_month',
        grain: 'period',
        span: monthPart(q.cal, year, month, first, last),
      };
    },
  },

  // Months: "in March", "this March", "last March", "March 2025", "March of last year".
  {
    re: rx(`\\b(?:(?<mod>this|last|past|previous|next)\\s+)?(?<mn>${MONTH})${YEAR_SUFFIX}`),
    build: (m, g, q) => {
      const year = suffixYear(g, q.cal);
      const mod = g.mod?.toLowerCase();
      const end = m.index + m[0].length;
      const evidence = { strong: year !== undefined, mod };
      if (!monthWordIsMonth(q, g.mn!, groupStart(m, 'mn'), end, evidence)) return null;
      const month = monthNumber(g.mn!);
      if (
        year === undefined &&
        (mod === 'last' || mod === 'past' || mod === 'previous' || mod === 'next')
      ) {
        const span = placeMonthRelative(q.cal, month, mod === 'next' ? 'next' : 'last');
        return { rule: `month:${mod === 'next' ? 'next' : 'last'}`, grain: 'period', span };
      }
      return placed('month', 'period', placeMonth(q.cal, month, year));
    },
  },

  // Weekdays: "on Monday", "last Sunday", "Monday last week", "this Friday".
  {
    re: rx(
      `\\b(?:(?<mod>this\\s+past|last|this|past|previous|next)\\s+)?(?<wd>${WEEKDAY})(?:\\s+(?:morning|afternoon|evening|night))?(?:\\s+(?:of\\s+)?(?<wk>last|this|next)\\s+week\\b|(?<bl>\\s+before\\s+last\\b))?`,
    ),
    build: (m, g, q) => {
      const mod = g.mod?.toLowerCase().replace(/\s+/g, ' ');
      if (!mod && q.before(m.index, EVERY_BEFORE)) return null;
      if (
        isWeekdayAbbreviation(g.wd!.replace(/\.$/, '')) &&
        !mod &&
        !g.wk &&
        !q.before(m.index, WEEKDAY_CONTEXT_BEFORE)
      ) {
        return null;
      }
      const weekday = weekdayNumber(g.wd!);
      const cal = q.cal;
      let dayNo: number;
      if (g.wk) {
        const wk = g.wk.toLowerCase();
        const offset = wk === 'last' ? -7 : wk === 'next' ? 7 : 0;
        dayNo = cal.weekStart(cal.today) + offset + weekday - 1;
      } else if (mod === 'next') {
        dayNo = recentWeekday(cal, weekday, true) + 7;
      } else {
        dayNo = recentWeekday(cal, weekday, mod === 'this') - (g.bl ? 7 : 0);
      }
      const recycle = g.wk ? undefined : (delta: number) => cal.day(dayNo + 7 * delta);
      return { rule: 'weekday', grain: 'day', span: cal.day(dayNo), recycle };
    },
  },

  // Weekends.
  {
    re: rx(
      '\\b(?:(?<mod>this\\s+past|last|this|past|previous|the)\\s+)?weekend(?<bl>\\s+before\\s+last)?\\b',
    ),
    build: (m, g, q) => {
      const mod = g.mod?.toLowerCase().replace(/\s+/g, ' ');
      if (!mod && !g.bl) return null;
      if (mod === 'the' && !g.bl && q.after(m.index + m[0].length, WEEKEND_BEFORE_AFTER))
        return null;
      const mode = g.bl ? 'before_last' : mod === 'this' || mod === 'the' ? 'current' : 'last';
      return { rule: `weekend:${mode}`, grain: 'period', span: placeWeekend(q.cal, mode) };
    },
  },

  // Seasons: "last summer", "in the winter", "summer 2025".
  {
    re: rx(
      '\\b(?:(?<mod>this\\s+past|last|this|past|previous|next|the)\\s+)?(?<s>spring|summer|autumn|fall|winter)(?:\\s+(?:of\\s+)?(?<y>(?:19|20)\\d{2}))?\\b',
    ),
    build: (m, g, q) => {
      const mod = g.mod?.toLowerCase().replace(/\s+/g, ' ');
      const word = g.s!.toLowerCase();
      const explicit = !!mod && mod !== 'the';
      const listed =
        q.before(m.index, SEASON_LIST_BEFORE) || q.after(m.index + m[0].length, SEASON_LIST_AFTER);
      if (!g.y && !explicit && !listed && !q.before(m.index, SEASON_CONTEXT_BEFORE)) return null;
      if (
        word === 'fall' &&
        !g.y &&
        !explicit &&
        !(
          mod === 'the' &&
          q.before(m.index, /\b(?:in|during|over|since|through|throughout|this|last)\s+$/i)
        )
      ) {
        return null;
      }
      const season: Season = word === 'fall' ? 'autumn' : (word as Season);
      const mode =
        mod === 'next' ? 'next' : mod && mod !== 'this' && mod !== 'the' ? 'last' : 'recent';
      const span = placeSeason(q.cal, season, q.southern, g.y ? Number(g.y) : undefined, mode);
      return { rule: 'season', grain: 'period', span };
    },
  },

  // Quarters: "Q1", "the first quarter of 2025".
  {
    re: rx(
      '\\b(?:q(?<q>[1-4])|(?:the\\s+)?(?<qw>first|second|third|fourth|1st|2nd|3rd|4th)\\s+quarter)(?:\\s+(?:of\\s+)?(?<y>(?:19|20)\\d{2}))?\\b',
    ),
    build: (_m, g, q) => {
      const word = g.qw?.toLowerCase();
      const quarter = g.q
        ? Number(g.q)
        : /\d/.test(word!)
          ? Number(word![0])
          : ['first', 'second', 'third', 'fourth'].indexOf(word!) + 1;
      return placed(
        'quarter',
        'period',
        placeQuarter(q.cal, quarter, g.y ? Number(g.y) : undefined),
      );
    },
  },

  // Years: "in 2025", "the year 2024".
  {
    re: rx('\\b(?:(?<the>the\\s+year)\\s+)?(?<y>(?:19|20)\\d{2})\\b(?![-/.:]\\d)'),
    build: (m, g, q) => {
      const end = m.index + m[0].length;
      if (!g.the && !q.before(m.index, YEAR_CONTEXT_BEFORE) && !q.after(end, YEAR_LIST_AFTER))
        return null;
      return { rule: 'year', grain: 'period', span: q.cal.yearSpan(Number(g.y)) };
    },
  },

  // Holidays.
  {
    re: rx(
      `\\b(?<h>(?:christmas|xmas)(?:\\s+(?:eve|day))?|boxing\\s+day|new\\s+year['’]?s?(?:\\s+(?:eve|day))?|halloween|valentine['’]?s(?:\\s+day)?|thanksgiving)(?:\\s+(?<y>(?:19|20)\\d{2}))?\\b`,
    ),
    build: (_m, g, q) => {
      const holiday = HOLIDAYS.find(([re]) => re.test(g.h!))?.[1];
      if (!holiday) return null;
      return placed('holiday', 'day', placeHoliday(q.cal, holiday, g.y ? Number(g.y) : undefined));
    },
  },
];

/** Days d1 (of month m1) to d2 (of m2, or m1), both included, past-biased on the first day. */
function dayRange(
  q: Question,
  m1: number,
  d1: number,
  m2: number | undefined,
  d2: number,
  year: number | undefined,
): Built | null {
  const first = placeDate(q.cal, m1, d1, year);
  if (!first) return null;
  const make = (firstSpan: Span): Span | null => {
    const firstDay = q.cal.dayOf(firstSpan.from);
    const start = ymdOf(firstDay);
    // "Dec 28-3" runs into the next month; "Dec 20 - Jan 5" into the next year.
    const [endYear, endMonth] =
      m2 === undefined && d2 < d1 ? addMonths(start.year, m1, 1) : [start.year, m2 ?? m1];
    const y = dayNumber(endYear, endMonth, 1) + d2 - 1 < firstDay ? endYear + 1 : endYear;
    if (!isValidDate(y, endMonth, d2)) return null;
    return q.cal.days(firstDay, dayNumber(y, endMonth, d2));
  };
  const span = make(first.span);
  if (!span) return null;
  const recycle = first.recycle;
  return {
    rule: 'between',
    grain: 'day',
    span,
    recycle: recycle
      ? (delta) => {
          const moved = recycle(delta);
          return moved ? make(moved) : null;
        }
      : undefined,
  };
}
