import { IANAZone } from 'luxon';

/** Calendar fields of a wall-clock time (month 1..12). */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const MINUTE = 60_000;
const BUCKET = 15 * MINUTE;
const HALF_DAY = 12 * 60 * MINUTE;
const CACHE_LIMIT = 100_000;
const clocks = new Map<string, ZoneClock>();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Conversions between instants and wall-clock time in one IANA zone, fast enough for every row
 * of a page: the zone's rules come from luxon (IANA data through Intl), and each offset is
 * remembered per 15-minute bucket, which is exact because zone transitions happen on such
 * boundaries.
 *
 * Wall-clock times that happen twice (the autumn hour) resolve to the later instant, standard
 * time, as PostgreSQL does; times that never happen (the spring gap) move forward by the gap.
 * The rule does not depend on today's date.
 */
export class ZoneClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();

  private constructor(readonly timeZone: string) {
    this.zone = IANAZone.create(timeZone);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  }

  static of(timeZone: string): ZoneClock {
    let clock = clocks.get(timeZone);
    if (!clock) {
      clock = new ZoneClock(timeZone);
      clocks.set(timeZone, clock);
    }
    return clock;
  }

  /** The zone's offset from UTC, in minutes, at an instant. */
  offsetMinutes(epochMs: number): number {
    const bucket = Math.floor(epochMs / BUCKET);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.zone.offset(bucket * BUCKET);
      if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** The instant (epoch ms) a wall-clock time in this zone stands for. */
  toInstant(local: LocalTime): number {
    const asUtc = Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
      local.millisecond,
    );
    const before = this.offsetMinutes(asUtc - HALF_DAY);
    const after = this.offsetMinutes(asUtc + HALF_DAY);
    let best: number | undefined;
    for (const offset of before === after ? [before] : [before, after]) {
      const candidate = asUtc - offset * MINUTE;
      if (this.offsetMinutes(candidate) === offset && (best === undefined || candidate > best)) {
        best = candidate;
      }
    }
    // In a spring gap neither offset fits: read it with the offset from before the gap.
    return best ?? asUtc - Math.min(before, after) * MINUTE;
  }

  /** The wall-clock time of an instant in this zone. */
  toLocal(epochMs: number): LocalTime {
    const shifted = new Date(epochMs + this.offsetMinutes(epochMs) * MINUTE);
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
      millisecond: shifted.getUTCMilliseconds(),
    };
  }

  /** 'YYYY-MM-DD HH:mm:ss.SSS' wall-clock text (a SQL timestamp literal). */
  formatLocal(epochMs: number): string {
    const t = this.toLocal(epochMs);
    return (
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ` +
      `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}.${pad(t.millisecond, 3)}`
    );
  }

  /** ISO 8601 with this zone's offset, e.g. 2026-02-03T08:15:00+01:00 (milliseconds if any). */
  formatIso(epochMs: number): string {
    const offset = this.offsetMinutes(epochMs);
    const t = this.toLocal(epochMs);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const fraction = t.millisecond === 0 ? '' : `.${pad(t.millisecond, 3)}`;
    return (
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T` +
      `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${fraction}` +
      `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
    );
  }
}
