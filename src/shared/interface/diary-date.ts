import { DateTime } from 'luxon';
import { InvalidInputError } from '../domain/domain-error';

/** ISO date, or date-time with an optional offset. */
export const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads a query date: a bare date is the start of that day in the diary's zone, a date-time
 * without offset is wall-clock time there, one with an offset (or Z) is that instant.
 */
export function parseDiaryDate(value: string, timeZone: string, parameter: string): Date {
  const parsed = DateTime.fromISO(value, { zone: timeZone, setZone: false });
  if (!ISO_DATE_OR_DATE_TIME.test(value) || !parsed.isValid) {
    throw new InvalidInputError(
      'REQUEST.VALIDATION_FAILED',
      `The request has 1 invalid parameter: ${parameter}.`,
      [{ name: parameter, reason: `${parameter} must be an existing ISO 8601 date or date-time` }],
    );
  }
  return parsed.toJSDate();
}

/** An instant as ISO 8601 with the zone's offset, e.g. 2026-02-03T08:15:00+01:00. */
export function formatInZone(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISO({
    suppressMilliseconds: true,
  }) as string;
}
