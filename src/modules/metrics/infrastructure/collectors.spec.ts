import { register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DependencyProbe, ReadinessProbes } from '../../health/domain/dependency-probe';
import { DbPoolCollector } from './db-pool.collector';
import { DependencyCollector } from './dependency.collector';

class Probe extends DependencyProbe {
  constructor(
    readonly name: string,
    private readonly behaviour: 'up' | 'down' | 'hang',
  ) {
    super();
  }
  check(): Promise<Record<string, unknown>> {
    if (this.behaviour === 'up') return Promise.resolve({});
    if (this.behaviour === 'down') return Promise.reject(new Error('refused'));
    return new Promise(() => undefined); // ignores its signal
  }
}

async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await register.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    ?.value;
}

describe('DependencyCollector', () => {
  it('sets 1 for a probe that answers, 0 for one that fails or outlasts the timeout', async () => {
    const collector = new DependencyCollector(
      new ReadinessProbes([
        new Probe('database', 'up'),
        new Probe('redis', 'down'),
        new Probe('bridge', 'hang'),
        new Probe('diaryReads', 'down'), // a report, not a dependency: no series
      ]),
      50,
    );
    await collector.collect();
    expect(await value('dependency_up', { dependency: 'database' })).toBe(1);
    expect(await value('dependency_up', { dependency: 'redis' })).toBe(0);
    expect(await value('dependency_up', { dependency: 'bridge' })).toBe(0);
    expect(await value('dependency_up', { dependency: 'diaryReads' })).toBeUndefined();
  });
});

describe('DbPoolCollector', () => {
  it("reads node-postgres's counts of each initialised pool", async () => {
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2 };
    const source = (initialised: boolean) =>
      ({ isInitialized: initialised, driver: { master: pool } }) as unknown as DataSource;
    await new DbPoolCollector(
      new Map([
        ['diary', source(true)],
        ['app', source(false)],
      ]),
    ).collect();
    expect(await value('db_pool_connections', { pool: 'diary', state: 'total' })).toBe(4);
    expect(await value('db_pool_connections', { pool: 'diary', state: 'idle' })).toBe(1);
    expect(await value('db_pool_connections', { pool: 'diary', state: 'waiting' })).toBe(2);
    expect(await value('db_pool_connections', { pool: 'app', state: 'total' })).toBeUndefined();
  });
});
