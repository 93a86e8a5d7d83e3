import { ZoneClock } from '../../../shared/domain/zone-clock';
import { MONTH_NAMES } from '../../nlu/domain/time/vocabulary';

const MONTHS = MONTH_NAMES;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

/** Dates and periods in words, in one zone ("Tuesday 4 November 2025", "1–31 October 2025"). */
export class Wording {
  private readonly clock: ZoneClock;

  constructor(
    readonly timeZone: string,
    private readonly now: Date,
  ) {
    this.clock = ZoneClock.of(timeZone);
  }

  /** "4 November 2025". */
  date(instant: Date): string {
    const t = this.clock.toLocal(instant.getTime());
    return `${t.day} ${MONTHS[t.month - 1]} ${t.year}`;
  }

  /** "Tuesday 4 November 2025". */
  day(instant: Date): string {
    const t = this.clock.toLocal(instant.getTime());
    const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
    return `${WEEKDAYS[weekday]} ${t.day} ${MONTHS[t.month - 1]} ${t.year}`;
  }

  /** "Tuesday 4 November 2025 at 08:15". */
  dateTime(instant: Date): string {
    const t = this.clock.toLocal(instant.getTime());
    return `${this.day(instant)} at ${pad(t.hour)}:${pad(t.minute)}`;
  }

  /** A local calendar day 'YYYY-MM-DD' as "4 November 2025". */
  localDay(day: string): string {
    const [y, m, d] = day.split('-').map(Number);
    return `${d} ${MONTHS[m - 1]} ${y}`;
  }

  /**
   * A period as the answer states it: "in October 2025", "on Tuesday 4 November 2025",
   * "between 27 October and 2 November 2025", "between 22 October 2025 and now",
   * "in your whole diary".
   */
  period(range: { from: Date; to: Date } | null): string {
    if (range === null) return 'in your whole diary';
    const from = this.clock.toLocal(range.from.getTime());
    const toIsNow = Math.abs(range.to.getTime() - this.now.getTime()) < 60_000;
    const toLocal = this.clock.toLocal(range.to.getTime());
    const atMidnight = (t: { hour: number; minute: number; second: number }) =>
      t.hour === 0 && t.minute === 0 && t.second === 0;
    if (toIsNow && !atMidnight(toLocal)) {
      if (atMidnight(from)) return `since ${this.date(range.from)}`;
      // A rolling period ("the past 2 weeks"): say it as one.
      const days = Wording.days(range.from, range.to);
      const months = Math.round(days / 30.44);
      if (days >= 56 && Math.abs(days - months * 30.44) <= 3) {
        return `over the past ${plural(months, 'month')}`;
      }
      if (days % 7 === 0 && days >= 14) return `over the past ${plural(days / 7, 'week')}`;
      return days >= 1
        ? `over the past ${plural(days, 'day')}`
        : `since ${this.dateTime(range.from)}`;
    }
    const lastDay = new Date(range.to.getTime() - 1);
    const last = this.clock.toLocal(lastDay.getTime());
    const sameDay = from.year === last.year && from.month === last.month && from.day === last.day;
    if (sameDay) return `on ${this.day(range.from)}`;
    const wholeMonth =
      atMidnight(from) &&
      atMidnight(toLocal) &&
      from.day === 1 &&
      toLocal.day === 1 &&
      from.year === last.year &&
      from.month === last.month;
    if (wholeMonth) return `in ${MONTHS[from.month - 1]} ${from.year}`;
    if (from.year === last.year) {
      return from.month === last.month
        ? `between ${from.day} and ${last.day} ${MONTHS[from.month - 1]} ${from.year}`
        : `between ${from.day} ${MONTHS[from.month - 1]} and ${last.day} ${MONTHS[last.month - 1]} ${last.year}`;
    }
    return `between ${this.date(range.from)} and ${this.date(lastDay)}`;
  }

  /** Whole days between two instants, rounded. */
  static days(from: Date, to: Date): number {
    return Math.round((to.getTime() - from.getTime()) / DAY_MS);
  }
}

/** "Between 1 and 31 October 2025" — a sentence may start with a period. */
export function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a, b and c". */
export function listing(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
