import { diaryFrom, diaryPeriod, diaryTo } from './diary-bounds';

const at = (iso: string) => new Date(iso);

describe('diary bounds of a chat turn', () => {
  it('widen a period reaching now to whole minutes, never narrower', () => {
    const period = { from: at('2026-11-04T15:18:08.442Z'), to: at('2026-12-04T15:18:08.442Z') };
    const widened = diaryPeriod({ ...period, text: 'the last 30 days' });
    expect(widened).toEqual({
      from: at('2026-11-04T15:18:00.000Z'),
      to: at('2026-12-04T15:19:00.000Z'),
      text: 'the last 30 days',
    });
    expect(widened.from.getTime()).toBeLessThanOrEqual(period.from.getTime());
    expect(widened.to.getTime()).toBeGreaterThanOrEqual(period.to.getTime());
  });

  it('give the same bounds to the same question asked within a minute', () => {
    const first = diaryTo(at('2026-12-04T15:18:00.001Z'));
    const later = diaryTo(at('2026-12-04T15:18:59.999Z'));
    expect(first).toEqual(later);
  });

  it('keep whole minutes, days and months exactly, and absent bounds absent', () => {
    for (const iso of ['2026-11-30T23:00:00.000Z', '2026-12-04T15:18:00.000Z']) {
      expect(diaryFrom(at(iso))).toEqual(at(iso));
      expect(diaryTo(at(iso))).toEqual(at(iso));
    }
    expect(diaryFrom(undefined)).toBeUndefined();
    expect(diaryTo(undefined)).toBeUndefined();
  });
});
