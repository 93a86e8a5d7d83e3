import { Logger } from '@nestjs/common';
import { DependencyTimeoutError } from '../../../../shared/domain/domain-error';
import { NamedQueryRunner } from './named-query.runner';
import { QueryLimiter } from './query-limiter';
import { ServeBridgeQueryUseCase } from './serve-bridge-query.use-case';

class FakeRunner extends NamedQueryRunner {
  constructor(private readonly answer: (name: string, params: unknown) => Promise<unknown>) {
    super();
  }
  run(name: string, params: unknown): Promise<unknown> {
    return this.answer(name, params);
  }
}

describe('ServeBridgeQueryUseCase', () => {
  let debug: jest.SpyInstance;
  beforeEach(() => {
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => debug.mockRestore());

  const limiter = () => new QueryLimiter({ maxConcurrency: 4, maxRps: 100 });

  it('answers name, JSON result and the time taken, and logs name and duration only', async () => {
    const ticks = [10, 52.6];
    const runner = new FakeRunner((name, params) => Promise.resolve({ name, params }));
    const useCase = new ServeBridgeQueryUseCase(runner, limiter(), () => ticks.shift() ?? 0);
    const params = { filter: { conceptIds: ['migraine'] } };
    await expect(useCase.execute({ name: 'stats.totals', params })).resolves.toEqual({
      name: 'stats.totals',
      result: { name: 'stats.totals', params },
      tookMs: 43,
    });
    expect(debug).toHaveBeenCalledWith({ query: 'stats.totals', tookMs: 43 }, 'query served');
    expect(JSON.stringify(debug.mock.calls)).not.toContain('migraine');
  });

  it('passes failures on, logged with their code and without params', async () => {
    const timeout = new DependencyTimeoutError('DIARY.TIMEOUT', 'too slow', 5);
    const useCase = new ServeBridgeQueryUseCase(
      new FakeRunner(() => Promise.reject(timeout)),
      limiter(),
    );
    await expect(
      useCase.execute({ name: 'stats.buckets', params: { filter: { person: 'Anna' } } }),
    ).rejects.toBe(timeout);
    expect(debug).toHaveBeenCalledWith(
      expect.objectContaining({ query: 'stats.buckets', code: 'DIARY.TIMEOUT' }),
      'query failed',
    );
    expect(JSON.stringify(debug.mock.calls)).not.toContain('Anna');
    const bug = new FakeRunner(() => Promise.reject(new Error('bug')));
    await expect(
      new ServeBridgeQueryUseCase(bug, limiter()).execute({ name: 'x', params: {} }),
    ).rejects.toThrow('bug');
    expect(debug).toHaveBeenLastCalledWith(
      expect.objectContaining({ code: 'INTERNAL' }),
      'query failed',
    );
  });
});
