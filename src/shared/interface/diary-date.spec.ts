import { InvalidInputError } from '../domain/domain-error';
import { formatInZone, parseDiaryDate } from './diary-date';

const iso = (value: string, zone = 'Europe/Berlin') =>
  parseDiaryDate(value, zone, 'from').toISOString();

describe('parseDiaryDate', () => {
  it('reads a bare date as the start of that day in the diary zone', () => {
    expect(iso('2026-02-01')).toBe('2026-01-31T23:00:00.000Z');
    expect(iso('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(iso('2028-02-29', 'UTC')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('reads a date-time without offset as wall-clock time there', () => {
    expect(iso('2026-02-01T10:30')).toBe('2026-02-01T09:30:00.000Z');
    expect(iso('2026-02-01T10:30:15.5')).toBe('2026-02-01T09:30:15.500Z');
  });

  it('reads a date-time with an offset or Z as that instant', () => {
    expect(iso('2026-02-01T10:30:00Z')).toBe('2026-02-01T10:30:00.000Z');
    expect(iso('2026-02-01T10:30:00+05:30')).toBe('2026-02-01T05:00:00.000Z');
    expect(iso('2026-02-01T10:30:00-0800')).toBe('2026-02-01T18:30:00.000Z');
  });

  it.each([
    '2026-02-30',
    '2027-02-29',
    '2026-13-01',
    '2026-02-01T24:00',
    '2026-02-01T10:60',
    '2026-02-01T10:00+15:00',
    'yesterday',
    '2026-2-1',
    '',
  ])('refuses %p naming the parameter', (value) => {
    try {
      parseDiaryDate(value, 'UTC', 'to');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).invalidParameters[0].name).toBe('to');
    }
  });
});

describe('formatInZone', () => {
  it('writes the zone offset', () => {
    expect(formatInZone(new Date('2026-02-03T07:15:00Z'), 'Europe/Berlin')).toBe(
      '2026-02-03T08:15:00+01:00',
    );
  });
});
