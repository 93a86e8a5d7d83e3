import {
  addMonths,
  dayNumber,
  daysInMonth,
  isoWeekday,
  isValidDate,
  type QuestionCalendar,
  type Span,
} from './calendar';

/**
 * From calendar words to periods, past-biased: without a year, a month or a date is the most
 * recent one that does not start after R; a bare weekday is the most recent one before today.
 */

/**
 * A period and, when its year (or for "the 20th", its month) was inferred, how to read the same
 * words one cycle earlier or later: the range joiner uses it for "from Dec 20 to Jan 5".
 */
export interface Placed {
  readonly span: Span;
  readonly recycle?: (delta: number) => Span | null;
}

/** The month, with the year given or else the most recent that does not start after R. */
export function placeMonth(cal: QuestionCalendar, month: number, year: number | undefined): Placed {
  if (year !== undefined) return { span: cal.monthSpan(year, month) };
  const y = month <= cal.month ? cal.year : cal.year - 1;
  return { span: cal.monthSpan(y, month), recycle: (delta) => cal.monthSpan(y + delta, month) };
}

/** "last March": the most recent March before the current month. "next March": the next one. */
export function placeMonthRelative(
  cal: QuestionCalendar,
  month: number,
  mod: 'last' | 'next',
): Span {
  if (mod === 'last') return cal.monthSpan(month < cal.month ? cal.year : cal.year - 1, month);
  return cal.monthSpan(month > cal.month ? cal.year : cal.year + 1, month);
}

/** A calendar day with the year given, or the most recent such day not after today. */
export function placeDate(
  cal: QuestionCalendar,
  month: number,
  day: number,
  year: number | undefined,
): Placed | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (year !== undefined) {
    return isValidDate(year, month, day) ? { span: cal.day(dayNumber(year, month, day)) } : null;
  }
  for (let y = cal.year; y >= cal.year - 8; y--) {
    if (!isValidDate(y, month, day)) continue;
    const dayNo = dayNumber(y, month, day);
    if (dayNo > cal.today) continue;
    return {
      span: cal.day(dayNo),
      recycle: (delta) =>
        isValidDate(y + delta, month, day) ? cal.day(dayNumber(y + delta, month, day)) : null,
    };
  }
  return null;
}

/**
 * "the 20th": the most recent 20th not after today (a month without one is skipped); with a
 * month offset ("of last month"), that month's.
 */
export function placeDayOfMonth(
  cal: QuestionCalendar,
  day: number,
  monthOffset: number | undefined,
): Placed | null {
  const at = (offset: number): Span | null => {
    const [y, m] = addMonths(cal.year, cal.month, offset);
    return isValidDate(y, m, day) ? cal.day(dayNumber(y, m, day)) : null;
  };
  if (monthOffset !== undefined) {
    const span = at(monthOffset);
    return span ? { span } : null;
  }
  for (let back = 0; back <= 12; back++) {
    const span = at(-back);
    if (span && span.from <= cal.dayStart(cal.today)) {
      return { span, recycle: (delta) => at(delta - back) };
    }
  }
  return null;
}

/** The most recent given weekday before today, or on or before today when `includeToday`. */
export function recentWeekday(
  cal: QuestionCalendar,
  weekday: number,
  includeToday: boolean,
): number {
  const diff = (isoWeekday(cal.today) - weekday + 7) % 7;
  return cal.today - (diff === 0 && !includeToday ? 7 : diff);
}

export type WeekendMode = 'current' | 'last' | 'before_last';

/**
 * Saturday and Sunday. `current`: the weekend in progress (to R) when today is Saturday or
 * Sunday, else the latest one. `last`: the latest weekend that ended before today.
 */
export function placeWeekend(cal: QuestionCalendar, mode: WeekendMode): Span {
  const weekday = isoWeekday(cal.today);
  if (mode === 'current' && weekday >= 6) {
    return { from: cal.dayStart(cal.today - (weekday - 6)), to: cal.now };
  }
  const sunday = cal.today - weekday - (mode === 'before_last' ? 7 : 0);
  return cal.days(sunday - 1, sunday);
}

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

const NORTH: Readonly<Record<Season, number>> = { spring: 3, summer: 6, autumn: 9, winter: 12 };
const SOUTH: Readonly<Record<Season, number>> = { spring: 9, summer: 12, autumn: 3, winter: 6 };

/** Zones south of the equator, where the seasons turn the other way. */
export function isSouthernZone(timeZone: string): boolean {
  return /^(?:Australia|Antarctica)\/|^Pacific\/(?:Auckland|Chatham|Fiji|Tongatapu|Apia|Noumea|Efate|Port_Moresby)$|^America\/(?:Argentina\/.*|Buenos_Aires|Sao_Paulo|Santiago|Montevideo|Asuncion|La_Paz|Lima|Punta_Arenas|Cordoba)$|^Africa\/(?:Johannesburg|Maputo|Harare|Windhoek|Gaborone|Lusaka|Maseru|Mbabane|Luanda|Lubumbashi|Blantyre)$|^Indian\/(?:Mauritius|Reunion|Antananarivo)$|^NZ$/.test(
    timeZone,
  );
}

export type SeasonMode = 'recent' | 'last' | 'next';

/**
 * Meteorological seasons (three whole months). A season with a year is the one that holds
 * January of that year when it spans the turn of the year ("winter 2025" = Dec 2024 – Feb 2025).
 */
export function placeSeason(
  cal: QuestionCalendar,
  season: Season,
  southern: boolean,
  year: number | undefined,
  mode: SeasonMode,
): Span {
  const startMonth = (southern ? SOUTH : NORTH)[season];
  const at = (y: number) => cal.months(y, startMonth, 3);
  if (year !== undefined) return at(startMonth === 12 ? year - 1 : year);
  let y = cal.year;
  if (at(y).from > cal.now) y--;
  if (mode === 'last' && at(y).to > cal.now) y--;
  if (mode === 'next') y++;
  return at(y);
}

/** Quarter q (1..4) with the year given, or the most recent that does not start after R. */
export function placeQuarter(
  cal: QuestionCalendar,
  quarter: number,
  year: number | undefined,
): Placed {
  const startMonth = (quarter - 1) * 3 + 1;
  if (year !== undefined) return { span: cal.months(year, startMonth, 3) };
  const y = startMonth <= cal.month ? cal.year : cal.year - 1;
  return { span: cal.months(y, startMonth, 3), recycle: (d) => cal.months(y + d, startMonth, 3) };
}

export type Holiday =
  | 'christmas_eve'
  | 'christmas'
  | 'boxing_day'
  | 'new_years_eve'
  | 'new_year'
  | 'halloween'
  | 'valentines'
  | 'thanksgiving';

const FIXED_HOLIDAYS: Readonly<Record<Exclude<Holiday, 'thanksgiving'>, [number, number]>> = {
  christmas_eve: [12, 24],
  christmas: [12, 25],
  boxing_day: [12, 26],
  new_years_eve: [12, 31],
  new_year: [1, 1],
  halloween: [10, 31],
  valentines: [2, 14],
};

/** The date of a holiday, the most recent one not after today unless a year is given. */
export function placeHoliday(
  cal: QuestionCalendar,
  holiday: Holiday,
  year: number | undefined,
): Placed | null {
  if (holiday !== 'thanksgiving') {
    const [month, day] = FIXED_HOLIDAYS[holiday];
    return placeDate(cal, month, day, year);
  }
  // US Thanksgiving: the fourth Thursday of November.
  const thanksgiving = (y: number) => {
    const first = dayNumber(y, 11, 1);
    return first + ((4 - isoWeekday(first) + 7) % 7) + 21;
  };
  if (year !== undefined) return { span: cal.day(thanksgiving(year)) };
  const y = thanksgiving(cal.year) <= cal.today ? cal.year : cal.year - 1;
  return { span: cal.day(thanksgiving(y)), recycle: (d) => cal.day(thanksgiving(y + d)) };
}

/** Days first..last of a month (clamped to the month's length). */
export function monthPart(
  cal: QuestionCalendar,
  year: number,
  month: number,
  first: number,
  last: number,
): Span {
  const length = daysInMonth(year, month);
  return cal.days(
    dayNumber(year, month, Math.min(first, length)),
    dayNumber(year, month, Math.min(last, length)),
  );
}
