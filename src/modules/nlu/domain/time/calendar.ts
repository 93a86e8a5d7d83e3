import { ZoneClock, type LocalTime } from '../../../../shared/domain/zone-clock';

/** Calendar arithmetic on local dates of one IANA zone; instants are epoch milliseconds. */

const DAY_MS = 86_400_000;

/** A calendar date (month 1..12). */
export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a calendar date: plain integers make date arithmetic trivial. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function ymdOf(dayNo: number): Ymd {
  const d = new Date(dayNo * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday, Monday 1 .. Sunday 7 (1970-01-01 was a Thursday). */
export function isoWeekday(dayNo: number): number {
  return ((((dayNo + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Adds months to (year, month), returning the new (year, month). */
export function addMonths(year: number, month: number, months: number): [number, number] {
  const index = year * 12 + (month - 1) + months;
  return [Math.floor(index / 12), (((index % 12) + 12) % 12) + 1];
}

export type CalendarUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

/** A period: from inclusive, to exclusive, epoch milliseconds. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * Moves a wall-clock time by whole units, keeping the clock time; months and years clamp the
 * day to the end of a shorter month (31 March minus a month is 28 or 29 February). Hours move
 * the instant itself.
 */
export function shiftLocal(
  clock: ZoneClock,
  epochMs: number,
  unit: CalendarUnit,
  amount: number,
): number {
  if (unit === 'hour') return epochMs + amount * 3_600_000;
  const t = clock.toLocal(epochMs);
  let date: Ymd;
  if (unit === 'day' || unit === 'week') {
    date = ymdOf(dayNumber(t.year, t.month, t.day) + amount * (unit === 'week' ? 7 : 1));
  } else {
    const [year, month] = addMonths(t.year, t.month, amount * (unit === 'year' ? 12 : 1));
    date = { year, month, day: Math.min(t.day, daysInMonth(year, month)) };
  }
  return clock.toInstant({ ...t, ...date });
}

/**
 * The calendar of one question: the zone's clock and the reference time R, with today's local
 * date. All ranges it builds run from a local midnight to a local midnight unless they end at R.
 */
export class QuestionCalendar {
  readonly clock: ZoneClock;
  readonly now: number;
  readonly local: LocalTime;
  /** R's local date as a day number. */
  readonly today: number;

  constructor(referenceTime: Date, timeZone: string) {
    this.clock = ZoneClock.of(timeZone);
    this.now = referenceTime.getTime();
    this.local = this.clock.toLocal(this.now);
    this.today = dayNumber(this.local.year, this.local.month, this.local.day);
  }

  get year(): number {
    return this.local.year;
  }

  get month(): number {
    return this.local.month;
  }

  /** The instant a local day starts (its midnight, or the first instant after a midnight gap). */
  dayStart(dayNo: number): number {
    const { year, month, day } = ymdOf(dayNo);
    return this.clock.toInstant({
      year,
      month,
      day,
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    });
  }

  /** Local days first..last, both included. */
  days(first: number, last: number): Span {
    return { from: this.dayStart(first), to: this.dayStart(last + 1) };
  }

  day(dayNo: number): Span {
    return this.days(dayNo, dayNo);
  }

  monthSpan(year: number, month: number): Span {
    const [nextYear, nextMonth] = addMonths(year, month, 1);
    return {
      from: this.dayStart(dayNumber(year, month, 1)),
      to: this.dayStart(dayNumber(nextYear, nextMonth, 1)),
    };
  }

  months(year: number, month: number, count: number): Span {
    const [endYear, endMonth] = addMonths(year, month, count);
    return {
      from: this.dayStart(dayNumber(year, month, 1)),
      to: this.dayStart(dayNumber(endYear, endMonth, 1)),
    };
  }

  yearSpan(year: number): Span {
    return this.months(year, 1, 12);
  }

  /** Monday of the week (weeks start on Monday) that holds a day. */
  weekStart(dayNo: number): number {
    return dayNo - isoWeekday(dayNo) + 1;
  }

  /** R moved back by whole units at the same clock time, up to R: "the past 2 weeks". */
  rolling(unit: CalendarUnit, amount: number): Span {
    return { from: shiftLocal(this.clock, this.now, unit, -amount), to: this.now };
  }

  /** The local date of an instant, as a day number. */
  dayOf(epochMs: number): number {
    const t = this.clock.toLocal(epochMs);
    return dayNumber(t.year, t.month, t.day);
  }

  /** Today's date moved back by whole units, months clamped to the month's end. */
  daysAgo(unit: CalendarUnit, amount: number): number {
    if (unit === 'hour') return this.dayOf(this.now - amount * 3_600_000);
    if (unit === 'day' || unit === 'week') return this.today - amount * (unit === 'week' ? 7 : 1);
    const [year, month] = addMonths(this.year, this.month, -amount * (unit === 'year' ? 12 : 1));
    return dayNumber(year, month, Math.min(this.local.day, daysInMonth(year, month)));
  }
}
