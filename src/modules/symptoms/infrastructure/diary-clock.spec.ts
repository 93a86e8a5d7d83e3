import { DiaryClock } from './diary-clock';

describe('DiaryClock', () => {
  const berlin = new DiaryClock('Europe/Berlin');

  it('reads wall-clock text in the diary zone, winter and summer', () => {
    expect(berlin.toInstant('2026-02-03 08:15:00').toISOString()).toBe('2026-02-03T07:15:00.000Z');
    expect(berlin.toInstant('2026-07-03 08:15:00').toISOString()).toBe('2026-07-03T06:15:00.000Z');
    expect(berlin.toInstant('2026-07-03 08:15:00.123456').toISOString()).toBe(
      '2026-07-03T06:15:00.123Z',
    );
  });

  it('writes instants as wall-clock text for query parameters', () => {
    expect(berlin.toLocal(new Date('2026-01-31T23:00:00Z'))).toBe('2026-02-01 00:00:00.000');
    expect(berlin.toLocal(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01 00:00:00.000');
  });

  it('takes standard time in the autumn hour that happens twice, as PostgreSQL does', () => {
    // 2026-10-25 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(berlin.toInstant('2026-10-25 02:30:00').toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('moves a spring-forward time that never existed forward by the gap', () => {
    // 2026-03-29 02:30 does not exist in Berlin; the wall clock jumped from 02:00 to 03:00.
    expect(berlin.toInstant('2026-03-29 02:30:00').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('round-trips every hour across both DST changes', () => {
    for (const start of ['2026-03-28T20:00:00Z', '2026-10-24T20:00:00Z']) {
      for (let h = 0; h < 12; h++) {
        const instant = new Date(Date.parse(start) + h * 3_600_000);
        // The first pass through the repeated hour reads back as its second pass.
        if (instant.toISOString() === '2026-10-25T00:00:00.000Z') continue;
        expect(berlin.toInstant(berlin.toLocal(instant)).toISOString()).toBe(instant.toISOString());
      }
    }
  });

  it('refuses unreadable text', () => {
    expect(() => berlin.toInstant('yesterday')).toThrow(/unreadable diary timestamp/);
  });
});
