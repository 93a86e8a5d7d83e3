import catalog from '../../domain/catalog.contract.json';
import {
  DEMO_PEOPLE,
  DEMO_SPELLINGS,
  DemoDiaryOptions,
  DemoDiaryRow,
  generateDemoDiary,
} from './demo-diary.generator';

const TODAY = '2026-11-22';
const FIRST_DAY = '2025-08-22'; // TODAY minus the default 15 months
const LOGGED = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

const diary = generateDemoDiary({ today: TODAY });

const share = (rows: readonly DemoDiaryRow[], test: (row: DemoDiaryRow) => boolean): number =>
  rows.filter(test).length / rows.length;
const dateOf = (row: DemoDiaryRow): string => row.logged.slice(0, 10);
const monthOf = (row: DemoDiaryRow): number => Number(row.logged.slice(5, 7));
const weekdayOf = (date: string): number => {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
};
const rowsOf = (person: string, ...conceptIds: string[]): DemoDiaryRow[] =>
  diary.filter((row) => row.person === person && conceptIds.includes(row.conceptId));
const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** Every calendar date from `first` to `last` inclusive. */
function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  const [year, month, day] = first.split('-').map(Number);
  for (let time = Date.UTC(year, month - 1, day); ; time += 86_400_000) {
    const date = new Date(time).toISOString().slice(0, 10);
    if (date > last) return dates;
    dates.push(date);
  }
}

function expectWellFormed(rows: readonly DemoDiaryRow[], first: string, last: string): void {
  for (const row of rows) {
    const match = LOGGED.exec(row.logged);
    expect(match).not.toBeNull();
    const [year, month, day] = match!.slice(1, 4).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    expect(date.toISOString().slice(0, 10)).toBe(row.logged.slice(0, 10)); // a real calendar date
    expect(row.logged >= `${first} 00:00:00`).toBe(true);
    expect(row.logged <= `${last} 21:59:00`).toBe(true);
    expect(row.logged.slice(11) <= '21:59:00').toBe(true);
  }
}

describe('generateDemoDiary', () => {
  it('is deterministic: the same options give the same rows, another seed other rows', () => {
    expect(generateDemoDiary({ today: TODAY })).toEqual(diary);
    expect(generateDemoDiary({ today: TODAY, seed: 20260101, months: 15 })).toEqual(diary);
    expect(generateDemoDiary({ today: TODAY, seed: 7 })).not.toEqual(diary);
  });

  it('holds a few thousand rows for 15 months, whatever the seed', () => {
    for (const seed of [1, 2, 3, 20260101]) {
      const size = generateDemoDiary({ today: TODAY, seed }).length;
      expect(size).toBeGreaterThanOrEqual(2500);
      expect(size).toBeLessThanOrEqual(5000);
    }
  });

  it('is the diary of exactly three people', () => {
    expect(DEMO_PEOPLE).toHaveLength(3);
    expect(new Set(diary.map((row) => row.person))).toEqual(new Set(DEMO_PEOPLE));
  });

  it('logs valid local timestamps from `months` ago up to 21:59 of today, sorted', () => {
    expectWellFormed(diary, FIRST_DAY, TODAY);
    expect(diary.map((row) => row.logged)).toEqual(diary.map((row) => row.logged).sort());
    expect(dateOf(diary[0]) <= '2025-08-25').toBe(true); // starts right away...
    expect(dateOf(diary[diary.length - 1]) >= '2026-11-20').toBe(true); // ...and runs to today
  });

  it('logs nothing later than nowTime today, and the same past as without it', () => {
    const morning = generateDemoDiary({ today: TODAY, nowTime: '09:30' });
    expectWellFormed(morning, FIRST_DAY, TODAY);
    expect(morning.every((row) => row.logged <= `${TODAY} 09:30:00`)).toBe(true);
    const before = (rows: readonly DemoDiaryRow[]) => rows.filter((row) => dateOf(row) < TODAY);
    expect(before(morning)).toEqual(before(diary));
    const early = generateDemoDiary({ today: TODAY, nowTime: '00:00' });
    expect(early.every((row) => row.logged <= `${TODAY} 00:00:00`)).toBe(true);
  });

  it('rates severity 1..10, leaving about 10% unrated', () => {
    for (const row of diary) {
      if (row.sev !== null) {
        expect(Number.isInteger(row.sev)).toBe(true);
        expect(row.sev).toBeGreaterThanOrEqual(1);
        expect(row.sev).toBeLessThanOrEqual(10);
      }
    }
    const unrated = share(diary, (row) => row.sev === null);
    expect(unrated).toBeGreaterThan(0.06);
    expect(unrated).toBeLessThan(0.14);
  });

  it('knows the duration of about 70% of rows, notes about 25%, and few rows are deleted', () => {
    for (const row of diary) {
      if (row.dur_mins !== null) {
        expect(Number.isInteger(row.dur_mins)).toBe(true);
        expect(row.dur_mins).toBeGreaterThan(0);
      }
      if (row.notes !== null) expect(row.notes.trim().length).toBeGreaterThan(0);
    }
    const unknown = share(diary, (row) => row.dur_mins === null);
    expect(unknown).toBeGreaterThan(0.22);
    expect(unknown).toBeLessThan(0.38);
    const noted = share(diary, (row) => row.notes !== null);
    expect(noted).toBeGreaterThan(0.18);
    expect(noted).toBeLessThan(0.32);
    const deleted = diary.filter((row) => row.deleted === 'Y').length;
    expect(deleted).toBeGreaterThan(0);
    expect(deleted / diary.length).toBeLessThan(0.05);
    expect(diary.every((row) => row.deleted === 'Y' || row.deleted === 'N')).toBe(true);
  });

  it('means catalog concepts and types them as listed in DEMO_SPELLINGS', () => {
    const ids = new Set(catalog.symptoms.map((concept) => concept.id));
    for (const id of Object.keys(DEMO_SPELLINGS)) expect(ids.has(id)).toBe(true);
    for (const row of diary) {
      expect(ids.has(row.conceptId)).toBe(true);
      expect(DEMO_SPELLINGS[row.conceptId]).toContain(row.sym);
      expect(row.sym.length).toBeLessThanOrEqual(80);
      expect(row.person.length).toBeLessThanOrEqual(40);
    }
  });

  it('keeps every spelling unambiguous and mostly canonical', () => {
    const owner = new Map<string, string>();
    for (const [id, spellings] of Object.entries(DEMO_SPELLINGS)) {
      for (const spelling of spellings) {
        const key = spelling.toLowerCase();
        expect([undefined, id]).toContain(owner.get(key)); // no spelling names two concepts
        owner.set(key, id);
      }
    }
    const canonical = share(diary, (row) => row.sym === DEMO_SPELLINGS[row.conceptId][0]);
    expect(canonical).toBeGreaterThan(0.5);
    expect(canonical).toBeLessThan(0.9); // variants do show up
  });

  it("logs Ben's back pain clearly more per workday than per weekend day", () => {
    const days = datesBetween(FIRST_DAY, TODAY);
    const isWeekend = (date: string) => [0, 6].includes(weekdayOf(date));
    const weekendDays = days.filter(isWeekend).length;
    const backPain = rowsOf('Ben', 'back_pain');
    const weekend = backPain.filter((row) => isWeekend(dateOf(row))).length;
    const perWorkday = (backPain.length - weekend) / (days.length - weekendDays);
    expect(perWorkday / (weekend / weekendDays)).toBeGreaterThan(2);
  });

  it('gives Anna 2 to 5 migraine days a month, with nausea the same day on most of them', () => {
    const migraineDays = new Set(rowsOf('Anna', 'migraine').map(dateOf));
    const nauseaDays = new Set(rowsOf('Anna', 'nausea').map(dateOf));
    const withNausea = [...migraineDays].filter((date) => nauseaDays.has(date)).length;
    expect(withNausea / migraineDays.size).toBeGreaterThan(0.5);
    for (const month of ['2025-09', '2026-01', '2026-05', '2026-10']) {
      const count = [...migraineDays].filter((date) => date.startsWith(month)).length;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThanOrEqual(5);
    }
  });

  it("shows Mia's fatigue improving: less frequent and milder at the end than at the start", () => {
    const fatigue = rowsOf('Mia', 'fatigue');
    const start = fatigue.filter((row) => dateOf(row) < '2025-11-22');
    const end = fatigue.filter((row) => dateOf(row) >= '2026-08-22');
    expect(start.length).toBeGreaterThan(1.5 * end.length);
    const severity = (rows: readonly DemoDiaryRow[]) =>
      mean(rows.flatMap((row) => (row.sev === null ? [] : [row.sev])));
    expect(severity(start)).toBeGreaterThan(severity(end) + 1.5);
  });

  it("concentrates Ben's coughs and sore throats in November to March", () => {
    const cold = rowsOf('Ben', 'cough', 'sore_throat');
    expect(cold.length).toBeGreaterThan(20);
    expect(share(cold, (row) => [11, 12, 1, 2, 3].includes(monthOf(row)))).toBeGreaterThan(0.8);
  });

  it('logs symptoms at plausible times of day', () => {
    const hourOf = (row: DemoDiaryRow) => Number(row.logged.slice(11, 13));
    expect(rowsOf('Mia', 'insomnia').every((row) => hourOf(row) < 6)).toBe(true);
    expect(rowsOf('Ben', 'heartburn').every((row) => hourOf(row) >= 19)).toBe(true);
    const fatigue = rowsOf('Mia', 'fatigue');
    expect(share(fatigue, (row) => hourOf(row) >= 13)).toBeGreaterThan(0.5);
  });

  it.each<[string, Partial<DemoDiaryOptions>, string]>([
    ['2028-02-29', {}, '2026-11-29'],
    ['2028-02-29', { months: 12 }, '2027-02-28'],
    ['2026-03-31', {}, '2024-12-31'],
    ['2026-03-31', { months: 1 }, '2026-02-28'],
    ['2025-12-31', { months: 3, nowTime: '23:30' }, '2025-09-30'],
  ])('handles month ends and leap days: today %s %j starts on %s', (today, options, first) => {
    const rows = generateDemoDiary({ today, ...options });
    expect(rows.length).toBeGreaterThan(0);
    expectWellFormed(rows, first, today);
    expect(dateOf(rows[0]) <= datesBetween(first, today)[3]).toBe(true); // starts on `first`
  });

  it('rejects malformed options', () => {
    expect(() => generateDemoDiary({ today: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoDiary({ today: '2026-2-3' })).toThrow(RangeError);
    expect(() => generateDemoDiary({ today: TODAY, nowTime: '24:00' })).toThrow(RangeError);
    expect(() => generateDemoDiary({ today: TODAY, months: 0 })).toThrow(RangeError);
    expect(() => generateDemoDiary({ today: TODAY, seed: 1.5 })).toThrow(RangeError);
  });
});
