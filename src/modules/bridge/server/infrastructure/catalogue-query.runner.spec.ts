import { InvalidInputError } from '../../../../shared/domain/domain-error';
import { DIARY_QUERIES } from '../../../symptoms/infrastructure/queries/diary-queries.catalogue';
import {
  type DiaryQuery,
  DiaryQueryExecutor,
} from '../../../symptoms/infrastructure/queries/diary-query';
import { CatalogueQueryRunner } from './catalogue-query.runner';

/** Records what it was asked and answers a fixed value (the e2e test runs the real adapters). */
class RecordingExecutor extends DiaryQueryExecutor {
  readonly calls: { name: string; args: readonly unknown[] }[] = [];
  constructor(private readonly answer: unknown) {
    super();
  }
  execute<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
  ): Promise<Result> {
    this.calls.push({ name: query.name, args });
    return Promise.resolve(this.answer as Result);
  }
}

async function invalidInput(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof InvalidInputError)) throw new Error(`expected InvalidInputError`);
  return error;
}

describe('CatalogueQueryRunner', () => {
  it('decodes the params, runs the named query and encodes its result as JSON', async () => {
    const entry = {
      id: 7,
      person: 'Anna',
      conceptId: 'headache',
      recordedAs: 'Headache',
      occurredAt: new Date('2026-02-02T08:00:00Z'),
      severity: 5,
      durationMinutes: null,
      notes: null,
    };
    const executor = new RecordingExecutor(entry);
    const runner = new CatalogueQueryRunner(executor);
    const result = await runner.run('stats.occurrence', {
      filter: { conceptIds: ['headache'], from: '2026-02-01T00:00:00.000Z' },
      order: 'latest',
    });
    expect(result).toEqual({ ...entry, occurredAt: '2026-02-02T08:00:00.000Z' });
    expect(executor.calls).toHaveLength(1);
    expect(executor.calls[0].name).toBe('stats.occurrence');
    expect(executor.calls[0].args[1]).toBe('latest');
    expect(executor.calls[0].args[0]).toMatchObject({
      conceptIds: ['headache'],
      from: new Date('2026-02-01T00:00:00.000Z'),
    });
  });

  it('serves every query of the catalogue by its name', async () => {
    const runner = new CatalogueQueryRunner(new RecordingExecutor([]));
    await expect(runner.run('entries.people', {})).resolves.toEqual([]);
    expect(DIARY_QUERIES.size).toBeGreaterThan(5);
  });

  it.each(['stats.dropTables', '__proto__', 'constructor', 'toString', ''])(
    'refuses the unknown name %j as invalid input',
    async (name) => {
      const executor = new RecordingExecutor(null);
      const error = await invalidInput(new CatalogueQueryRunner(executor).run(name, {}));
      expect(error.code).toBe('BRIDGE.UNKNOWN_QUERY');
      expect(error.invalidParameters).toEqual([{ name: 'name', reason: 'is not a known query' }]);
      expect(executor.calls).toEqual([]);
    },
  );

  it('refuses bad params before anything runs', async () => {
    const executor = new RecordingExecutor(null);
    const error = await invalidInput(
      new CatalogueQueryRunner(executor).run('stats.totals', { filter: { conceptIds: 'x' } }),
    );
    expect(error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(executor.calls).toEqual([]);
  });
});
