import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/configuration';
import { diaryDataSourceOptions } from '../../src/infrastructure/database/database.module';
import { SymptomVocabulary } from '../../src/modules/symptoms/domain/symptom-vocabulary';
import { DiaryClock } from '../../src/modules/symptoms/infrastructure/diary-clock';
import { SymptomLogSchema } from '../../src/modules/symptoms/infrastructure/symptom-log.record';
import { SymptomNameIndex } from '../../src/modules/symptoms/infrastructure/symptom-name-index';
import { TypeOrmSymptomEntryRepository } from '../../src/modules/symptoms/infrastructure/typeorm-symptom-entry.repository';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
} from '../../src/shared/domain/domain-error';
import { createTestDatabase, insertDiaryRows, TestDatabase, withClient } from '../support/database';

const config: DatabaseConfig = {
  diaryUrl: undefined,
  diarySchema: 'public',
  poolSize: 4,
  statementTimeoutMs: 500,
  connectTimeoutMs: 2000,
  slowQueryMs: 1000,
  caFile: undefined,
  readinessTimeoutMs: 1000,
  embedded: { dataDir: '', port: 0, demoData: false },
};

const newest = { field: 'occurredAt', direction: 'desc' } as const;
const firstPage = { page: 1, limit: 20 };

describe('TypeOrmSymptomEntryRepository against the legacy table', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: TypeOrmSymptomEntryRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-03 08:15:00', dur_mins: 90, notes: 'screen' },
      { sym: 'head ache', sev: 7, logged: '2026-02-10 19:00:00' },
      { sym: 'hedache', sev: null, logged: '2026-02-27 23:30:00' },
      { sym: 'headache', sev: 9, logged: '2026-03-01 00:00:00' }, // first instant of March
      { sym: 'Headache', sev: 4, logged: '2026-01-31 23:59:59' },
      { sym: 'Headache', sev: 8, logged: '2026-02-15 12:00:00', deleted: 'Y' },
      { sym: 'migrane', sev: 8, logged: '2026-02-12 07:00:00', person: 'Ben' },
      { sym: 'tummy pain', sev: 3, logged: '2026-02-12 09:00:00' },
      { sym: 'Cold', sev: 2, logged: '2026-02-13 09:00:00' },
      { sym: 'Headache', sev: 6, logged: '2026-10-25 02:30:00' }, // the repeated autumn hour
    ]);
    dataSource = new DataSource({
      ...diaryDataSourceOptions(db.url, config, [SymptomLogSchema]),
    } as DataSourceOptions);
    await dataSource.initialize();
    repository = new TypeOrmSymptomEntryRepository(
      dataSource,
      new DiaryClock('Europe/Berlin'),
      (load) => new SymptomNameIndex(load, SymptomVocabulary.standard(), 60_000),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('finds a concept however it was typed, and never a deleted row', async () => {
    const page = await repository.findPage({ conceptIds: ['headache'] }, newest, firstPage);
    expect(page.total).toBe(6);
    expect(page.items.map((e) => e.recordedAs).sort()).toEqual([
      'Headache',
      'Headache',
      'Headache',
      'head ache',
      'headache',
      'hedache',
    ]);
    expect(page.items.every((e) => e.conceptId === 'headache')).toBe(true);
  });

  it('converts wall-clock times with the zone, DST included', async () => {
    const page = await repository.findPage({ conceptIds: ['headache'] }, newest, firstPage);
    expect(page.items[0].occurredAt.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    const feb3 = page.items.find((e) => e.severity === 5);
    expect(feb3?.occurredAt.toISOString()).toBe('2026-02-03T07:15:00.000Z');
    expect(feb3).toMatchObject({ durationMinutes: 90, notes: 'screen', person: 'Anna' });
  });

  it('includes from and excludes to, in the diary zone', async () => {
    const february = await repository.findPage(
      {
        conceptIds: ['headache'],
        from: new Date('2026-01-31T23:00:00Z'), // 1 Feb 00:00 in Berlin
        to: new Date('2026-02-28T23:00:00Z'), // 1 Mar 00:00 in Berlin
      },
      newest,
      firstPage,
    );
    expect(february.items.map((e) => e.recordedAs)).toEqual(['hedache', 'head ache', 'Headache']);
  });

  it('keeps unrated entries unless a severity bound is asked for', async () => {
    const all = await repository.findPage({ conceptIds: ['headache'] }, newest, firstPage);
    expect(all.items.some((e) => e.severity === null)).toBe(true);
    const bad = await repository.findPage(
      { conceptIds: ['headache'], minSeverity: 7 },
      newest,
      firstPage,
    );
    expect(bad.items.map((e) => e.severity)).toEqual([9, 7]);
    const mild = await repository.findPage(
      { conceptIds: ['headache'], maxSeverity: 5 },
      newest,
      firstPage,
    );
    expect(mild.items.map((e) => e.severity)).toEqual([5, 4]);
  });

  it('filters by person and by several concepts', async () => {
    const ben = await repository.findPage({ conceptIds: [], person: 'Ben' }, newest, firstPage);
    expect(ben.items.map((e) => e.recordedAs)).toEqual(['migrane']);
    const two = await repository.findPage(
      { conceptIds: ['migraine', 'abdominal_pain'] },
      newest,
      firstPage,
    );
    expect(two.items.map((e) => e.conceptId).sort()).toEqual(['abdominal_pain', 'migraine']);
  });

  it('answers nothing for a concept the diary never mentions', async () => {
    const page = await repository.findPage({ conceptIds: ['tinnitus'] }, newest, firstPage);
    expect(page).toEqual({ items: [], total: 0, page: 1, limit: 20 });
  });

  it('pages, sorts and counts beyond the last page', async () => {
    const second = await repository.findPage({ conceptIds: ['headache'] }, newest, {
      page: 2,
      limit: 2,
    });
    expect(second.total).toBe(6);
    expect(second.items).toHaveLength(2);
    const beyond = await repository.findPage({ conceptIds: ['headache'] }, newest, {
      page: 9,
      limit: 2,
    });
    expect(beyond).toMatchObject({ items: [], total: 6, page: 9 });
    const worst = await repository.findPage(
      { conceptIds: ['headache'] },
      { field: 'severity', direction: 'desc' },
      firstPage,
    );
    expect(worst.items.map((e) => e.severity)).toEqual([9, 7, 6, 5, 4, null]);
  });

  it('lists an unplaceable name with a null concept', async () => {
    const everything = await repository.findPage({ conceptIds: [] }, newest, firstPage);
    const cold = everything.items.find((e) => e.recordedAs === 'Cold');
    expect(cold?.conceptId).toBeNull();
  });

  it('counts live entries per concept', async () => {
    const counts = new Map((await repository.countByConcept()).map((c) => [c.conceptId, c.count]));
    expect(counts.get('headache')).toBe(6);
    expect(counts.get('migraine')).toBe(1);
    expect(counts.get('abdominal_pain')).toBe(1);
    expect(counts.has('tinnitus')).toBe(false);
  });

  it('reads in read-only sessions: the diary cannot be written through this pool', async () => {
    await expect(
      dataSource.query(`DELETE FROM symptom_log WHERE sym = 'Cold'`),
    ).rejects.toMatchObject({ driverError: { code: '25006' } });
  });

  it('cancels a query over the statement timeout and says so', async () => {
    // Another session holds the table locked, so the diary query waits past its 500 ms timeout.
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      try {
        repository.names.invalidate();
        await expect(
          repository.findPage({ conceptIds: [] }, newest, firstPage),
        ).rejects.toBeInstanceOf(DependencyTimeoutError);
      } finally {
        await locker.query('ROLLBACK');
      }
    });
  });

  it('reports a connection lost mid-query as unavailable, then recovers on its own', async () => {
    await withClient(db.url, async (admin) => {
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      repository.names.invalidate();
      const pending = repository.findPage({ conceptIds: [] }, newest, firstPage).then(
        () => 'answered',
        (error: unknown) => error,
      );
      // Wait until the diary query is blocked on the lock, then kill its session.
      for (let i = 0; i < 50; i++) {
        const waiting = await admin.query(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (waiting.rowCount) {
          await admin.query('SELECT pg_terminate_backend($1)', [waiting.rows[0].pid]);
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await pending).toBeInstanceOf(DependencyUnavailableError);
      await admin.query('ROLLBACK');
    });
    // Without retries (they come with the bridge work), a dead pooled connection may fail one
    // more request, always as 'unavailable', never as a bug; a fresh connection then answers.
    let total: number | undefined;
    for (let attempt = 0; attempt <= config.poolSize && total === undefined; attempt++) {
      try {
        total = (await repository.findPage({ conceptIds: ['headache'] }, newest, firstPage)).total;
      } catch (error) {
        expect(error).toBeInstanceOf(DependencyUnavailableError);
      }
    }
    expect(total).toBe(6);
  });
});
