import type { DataSource } from 'typeorm';
import { DependencyProbe } from '../../../health/domain/dependency-probe';

/** The diary database answers a trivial query over the service's own pool. */
export class DiaryDatabaseProbe extends DependencyProbe {
  readonly name = 'database';

  constructor(
    private readonly dataSource: DataSource,
    private readonly embedded: boolean,
  ) {
    super();
  }

  async check(): Promise<Record<string, unknown>> {
    await this.dataSource.query('SELECT 1');
    return { mode: this.embedded ? 'embedded' : 'external' };
  }
}
