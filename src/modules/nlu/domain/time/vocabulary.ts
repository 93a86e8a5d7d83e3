/**
 * Words of time expressions and the regular-expression fragments built from them. Every pattern
 * is matched case-insensitively against the original text, so character offsets stay exact.
 */

const MONTH_KEYS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const MONTH_SHORT = MONTH_NAMES.map((name) => name.slice(0, 3));

const MONTH_FULL = MONTH_NAMES.map((name) => name.toLowerCase()).join('|');
const MONTH_ABBR = 'jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';

/** A month name or abbreviation ("March", "mar", "Sept."). */
export const MONTH = `(?:${MONTH_FULL}|${MONTH_ABBR})(?![a-z])\\.?`;

/** Month words that are also common English words: they need context to count as months. */
const AMBIGUOUS_MONTH = /^(?:may|march|mar|jan|jun|jul|aug|sep|sept|oct|nov|dec|feb|apr)\.?$/i;

export function isAmbiguousMonth(word: string): boolean {
  return AMBIGUOUS_MONTH.test(word);
}

/** 1..12 for a month word, 0 when it is not one. */
export function monthNumber(word: string): number {
  return MONTH_KEYS.indexOf(word.slice(0, 3).toLowerCase() as (typeof MONTH_KEYS)[number]) + 1;
}

const WEEKDAY_FULL = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const WEEKDAY_ABBR = 'mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun';

/** A weekday name or abbreviation; plurals ("Mondays") do not match. */
export const WEEKDAY = `(?:${WEEKDAY_FULL}|${WEEKDAY_ABBR})(?![a-z])\\.?`;
/** A full weekday name only. */
export const WEEKDAY_FULL_NAME = `(?:${WEEKDAY_FULL})`;

const WEEKDAY_KEYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;

/** ISO weekday (Monday 1 .. Sunday 7) of a weekday word, 0 when it is not one. */
export function weekdayNumber(word: string): number {
  return WEEKDAY_KEYS.indexOf(word.slice(0, 2).toLowerCase() as (typeof WEEKDAY_KEYS)[number]) + 1;
}

/** True for the short forms ("sat", "sun", "wed") that are also ordinary words. */
export function isWeekdayAbbreviation(word: string): boolean {
  return !/^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i.test(word);
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  couple: 2,
  few: 3,
  several: 5,
};

/** A count: digits, a number word, "a", "a couple (of)", "a few", "several". */
export const COUNT =
  '(?:\\d{1,3}(?![\\d.,:/])|(?:a\\s+)?couple(?:\\s+of)?|(?:a\\s+)?few|several|' +
  'thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|sixty|ninety|' +
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?)';

/** The value of a COUNT match. */
export function countValue(text: string): number {
  const word = text
    .toLowerCase()
    .replace(/^a\s+/, '')
    .replace(/\s+of$/, '')
    .trim();
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? NUMBER_WORDS[text.toLowerCase().trim()] ?? 1;
}

const ORDINAL_UNITS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
] as const;
const ORDINAL_TEENS = [
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
] as const;

const ORDINAL_WORDS = new Map<string, number>();
ORDINAL_UNITS.forEach((word, i) => {
  ORDINAL_WORDS.set(word, i + 1);
  ORDINAL_WORDS.set(`twenty ${word}`, 21 + i);
  ORDINAL_WORDS.set(`twenty-${word}`, 21 + i);
});
ORDINAL_TEENS.forEach((word, i) => ORDINAL_WORDS.set(word, 10 + i));
ORDINAL_WORDS.set('twentieth', 20);
ORDINAL_WORDS.set('thirtieth', 30);
ORDINAL_WORDS.set('thirty first', 31);
ORDINAL_WORDS.set('thirty-first', 31);

/** A day of the month in digits: "3", "03", "3rd", "21st". */
export const DAY_DIGITS =
  '(?<![\\d.,/:])(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\\d:/]|\\.\\d)';
/** A day of the month in digits with a required ordinal suffix: "20th". */
export const DAY_ORDINAL_DIGITS =
  '(?<![\\d.,/:])(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)(?![a-z\\d])';
/** A day of the month in ordinal words: "third", "twenty-first". */
export const DAY_WORDS =
  '(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|' +
  'twentieth|thirtieth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|' +
  'seventeenth|eighteenth|nineteenth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)' +
  '(?![a-z])';
export const DAY = `(?:${DAY_DIGITS}|${DAY_WORDS})`;

/** 1..31 from a DAY match, 0 when it is not a day. */
export function dayValue(text: string): number {
  const digits = /^(\d{1,2})/.exec(text);
  if (digits) return Number(digits[1]);
  return ORDINAL_WORDS.get(text.toLowerCase().replace(/\s+/g, ' ')) ?? 0;
}

/**
 * What may follow a month or a day to pin its year: ", 2025", " 2025", " of last year",
 * " '25". Named groups: y, yrel, y2.
 */
export const YEAR_SUFFIX =
  "(?:,?\\s*(?<y>(?:19|20)\\d{2})(?![\\d:])|\\s+(?:of\\s+)?(?<yrel>this|last|next)\\s+year\\b|\\s*['’](?<y2>\\d{2})(?!\\d))?";

export type Unit = 'hour' | 'day' | 'week' | 'month' | 'year';

/** "fortnight" is two weeks; every other unit word names itself. */
export function unitOf(word: string): { unit: Unit; factor: number } {
  const w = word.toLowerCase().replace(/s$/, '');
  if (w === 'fortnight') return { unit: 'week', factor: 2 };
  if (w === 'hr' || w === 'hour') return { unit: 'hour', factor: 1 };
  if (w === 'wk') return { unit: 'week', factor: 1 };
  if (w === 'mth' || w === 'mo') return { unit: 'month', factor: 1 };
  if (w === 'yr') return { unit: 'year', factor: 1 };
  return { unit: w as Unit, factor: 1 };
}
