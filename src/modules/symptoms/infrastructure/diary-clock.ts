import { ZoneClock } from '../../../shared/domain/zone-clock';

const SQL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * The diary stores wall-clock time in the home server's zone (`timestamp without time zone`).
 * This converts between those local times and instants, DST included (ZoneClock): in the autumn
 * hour that happens twice, standard time (the later instant) is used, as PostgreSQL's own
 * conversions do; a spring-forward time that never existed is moved forward by the gap.
 */
export class DiaryClock {
  private readonly clock: ZoneClock;

  constructor(readonly timeZone: string) {
    this.clock = ZoneClock.of(timeZone);
  }

  /** An instant as the diary's local wall-clock text, for a query parameter. */
  toLocal(instant: Date): string {
    return this.clock.formatLocal(instant.getTime());
  }

  /** A `logged` value read as text ('2026-02-03 08:15:00' or with fractions) to an instant. */
  toInstant(local: string): Date {
    const m = SQL_TIMESTAMP.exec(local);
    if (!m) throw new Error('unreadable diary timestamp');
    return new Date(
      this.clock.toInstant({
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: Number(m[6]),
        millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
      }),
    );
  }
}
