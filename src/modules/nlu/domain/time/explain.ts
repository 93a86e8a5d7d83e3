import { dayNumber, type QuestionCalendar, type Span, ymdOf } from './calendar';
import { MONTH_NAMES, MONTH_SHORT } from './vocabulary';

const pad = (n: number) => String(n).padStart(2, '0');

/** The start of "before March" and "until yesterday": the beginning of the diary, i.e. 1970. */
export const OPEN_START = 0;

/**
 * A period in plain English, in the question's zone: "4 November 2025", "1–31 October 2025",
 * "27 Oct – 2 Nov 2025", "29 Dec 2025 – 4 Jan 2026", "3 Nov 2025 to now",
 * "22 Oct 2025 14:30 to now". No Intl formatter is created.
 */
export function explainSpan(span: Span, calendar: QuestionCalendar): string {
  const to = pointOf(span.to, calendar);
  if (span.from === OPEN_START) {
    return to.midnight
      ? `up to ${pointOf(calendar.dayStart(to.dayNo - 1), calendar).text}`
      : `up to ${to.text}`;
  }
  const from = pointOf(span.from, calendar);
  if (span.to === calendar.now) return `${from.text} to now`;
  if (!from.midnight || !to.midnight) return `${from.text} to ${to.text}`;
  const first = ymdOf(from.dayNo);
  const last = ymdOf(to.dayNo - 1);
  if (from.dayNo === to.dayNo - 1) {
    return `${first.day} ${MONTH_NAMES[first.month - 1]} ${first.year}`;
  }
  if (first.year === last.year && first.month === last.month) {
    return `${first.day}–${last.day} ${MONTH_NAMES[first.month - 1]} ${first.year}`;
  }
  const lastText = `${last.day} ${MONTH_SHORT[last.month - 1]} ${last.year}`;
  if (first.year === last.year) {
    return `${first.day} ${MONTH_SHORT[first.month - 1]} – ${lastText}`;
  }
  return `${first.day} ${MONTH_SHORT[first.month - 1]} ${first.year} – ${lastText}`;
}

function pointOf(
  epochMs: number,
  calendar: QuestionCalendar,
): { dayNo: number; midnight: boolean; text: string } {
  const t = calendar.clock.toLocal(epochMs);
  const dayNo = dayNumber(t.year, t.month, t.day);
  const midnight = calendar.dayStart(dayNo) === epochMs;
  const date = `${t.day} ${MONTH_SHORT[t.month - 1]} ${t.year}`;
  return { dayNo, midnight, text: midnight ? date : `${date} ${pad(t.hour)}:${pad(t.minute)}` };
}
