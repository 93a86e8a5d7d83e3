import { DateTime } from 'luxon';

/**
 * The diary stores wall-clock time in the home server's zone (`timestamp without time zone`).
 * This converts between those local times and instants, DST included: in the autumn hour that
 * happens twice, standard time (the later instant) is used, as PostgreSQL's own conversions do;
 * a spring-forward time that never existed is moved forward by the gap.
 */
export class DiaryClock {
  constructor(readonly timeZone: string) {}

  /** An instant as the diary's local wall-clock text, for a query parameter. */
  toLocal(instant: Date): string {
    return DateTime.fromJSDate(instant, { zone: this.timeZone }).toFormat(
      'yyyy-MM-dd HH:mm:ss.SSS',
    );
  }

  /** A `logged` value read as text ('2026-02-03 08:15:00' or with fractions) to an instant. */
  toInstant(local: string): Date {
    const parsed = DateTime.fromSQL(local, { zone: this.timeZone });
    if (!parsed.isValid) throw new Error(`unreadable diary timestamp (${parsed.invalidReason})`);
    return parsed.toJSDate();
  }
}
