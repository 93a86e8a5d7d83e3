import { InvalidInputError } from '../domain/domain-error';
import { ZoneClock } from '../domain/zone-clock';

/** ISO date, or date-time with an optional offset. */
export const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The longest string ISO_DATE_OR_DATE_TIME matches: `2026-03-10T14:30:00.123456+01:00`. */
export const ISO_DATE_OR_DATE_TIME_MAX_LENGTH = 32;

const PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;

function invalid(parameter: string): InvalidInputError {
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    `The request has 1 invalid parameter: ${parameter}.`,
    [{ name: parameter, reason: `${parameter} must be an existing ISO 8601 date or date-time` }],
  );
}

/**
 * Reads a query date: a bare date is the start of that day in the diary's zone, a date-time
 * without offset is wall-clock time there, one with an offset (or Z) is that instant.
 * Throws InvalidInputError for impossible dates (2026-02-30, 25:00, +15:00).
 */
export function parseDiaryDate(value: string, timeZone: string, parameter: string): Date {
  const m = PARTS.exec(value);
  if (!m) throw invalid(parameter);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalid(parameter);
  }
  const local = { year, month, day, hour, minute, second, millisecond };
  if (m[8] === undefined) return new Date(ZoneClock.of(timeZone).toInstant(local));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 14 || offsetMinutes > 59) throw invalid(parameter);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return new Date(
    Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * 60_000,
  );
}

/** An instant as ISO 8601 with the zone's offset, e.g. 2026-02-03T08:15:00+01:00. */
export function formatInZone(instant: Date, timeZone: string): string {
  return ZoneClock.of(timeZone).formatIso(instant.getTime());
}
