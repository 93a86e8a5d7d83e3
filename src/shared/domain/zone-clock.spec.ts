import { DateTime } from 'luxon';
import { ZoneClock } from './zone-clock';

const local = (text: string) => {
  const [date, time = '00:00:00'] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second] = time.split(':').map(Number);
  return { year, month, day, hour, minute, second, millisecond: 0 };
};

describe('ZoneClock', () => {
  const berlin = ZoneClock.of('Europe/Berlin');

  it('agrees with luxon on offsets every 7 hours over two years, in several zones', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata']) {
      const clock = ZoneClock.of(zone);
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 60_000) {
        expect(clock.offsetMinutes(t)).toBe(DateTime.fromMillis(t, { zone }).offset);
      }
    }
  });

  it('formats ISO with the offset, as in the contract', () => {
    expect(berlin.formatIso(Date.UTC(2026, 1, 3, 7, 15))).toBe('2026-02-03T08:15:00+01:00');
    expect(berlin.formatIso(Date.UTC(2026, 6, 3, 6, 15, 0, 250))).toBe(
      '2026-07-03T08:15:00.250+02:00',
    );
    expect(ZoneClock.of('UTC').formatIso(Date.UTC(2026, 1, 1))).toBe('2026-02-01T00:00:00+00:00');
    expect(ZoneClock.of('America/St_Johns').formatIso(Date.UTC(2026, 0, 1, 12))).toBe(
      '2026-01-01T08:30:00-03:30',
    );
  });

  it('resolves the repeated autumn hour to standard time, whatever the season today', () => {
    expect(new Date(berlin.toInstant(local('2026-10-25 02:30:00'))).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
    expect(
      new Date(
        ZoneClock.of('America/New_York').toInstant(local('2026-11-01 01:30:00')),
      ).toISOString(),
    ).toBe('2026-11-01T06:30:00.000Z');
  });

  it('moves a time in the spring gap forward by the gap', () => {
    expect(new Date(berlin.toInstant(local('2026-03-29 02:30:00'))).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(berlin.formatIso(berlin.toInstant(local('2026-03-29 02:30:00')))).toBe(
      '2026-03-29T03:30:00+02:00',
    );
  });

  it('round-trips local text for every 20 minutes of a DST year', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 20 * 60_000) {
      const text = berlin.formatLocal(t);
      const back = berlin.toInstant(local(text.slice(0, 19)));
      // Only the first pass through the repeated autumn hour reads back as its second pass.
      if (back !== t) expect(back - t).toBe(3_600_000);
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => ZoneClock.of('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
