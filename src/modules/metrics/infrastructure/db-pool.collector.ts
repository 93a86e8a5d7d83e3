import type { DataSource } from 'typeorm';
import { gauge } from '../../../shared/infrastructure/prometheus';
import { ScrapeCollector } from '../application/metrics-exposition';

/** What node-postgres's Pool counts (TypeORM's postgres driver keeps it as `driver.master`). */
interface PgPoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

function poolOf(dataSource: DataSource): PgPoolCounts | undefined {
  const master = (dataSource.driver as unknown as { master?: Partial<PgPoolCounts> }).master;
  if (
    master === undefined ||
    typeof master.totalCount !== 'number' ||
    typeof master.idleCount !== 'number' ||
    typeof master.waitingCount !== 'number'
  ) {
    return undefined;
  }
  return master as PgPoolCounts;
}

/**
 * `db_pool_connections{pool,state}`: each PostgreSQL pool's connections (total, idle) and the
 * queries waiting for one, read from the pools on every scrape. `pool` is the TypeORM data source
 * (`diary`, `app`); a process without one (the API on the bridge has no diary pool) has no series.
 */
export class DbPoolCollector extends ScrapeCollector {
  private readonly gauge = gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by pool and state (total, idle; waiting = queries waiting for a connection)',
    labelNames: ['pool', 'state'] as const,
  });

  constructor(private readonly pools: ReadonlyMap<string, DataSource>) {
    super();
  }

  collect(): Promise<void> {
    for (const [name, dataSource] of this.pools) {
      const pool = dataSource.isInitialized ? poolOf(dataSource) : undefined;
      if (pool === undefined) continue;
      this.gauge.set({ pool: name, state: 'total' }, pool.totalCount);
      this.gauge.set({ pool: name, state: 'idle' }, pool.idleCount);
      this.gauge.set({ pool: name, state: 'waiting' }, pool.waitingCount);
    }
    return Promise.resolve();
  }
}
