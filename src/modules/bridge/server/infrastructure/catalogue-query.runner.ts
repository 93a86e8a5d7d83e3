import { InvalidInputError } from '../../../../shared/domain/domain-error';
import { DIARY_QUERIES } from '../../../symptoms/infrastructure/queries/diary-queries.catalogue';
import type {
  AnyDiaryQuery,
  DiaryQueryExecutor,
  Json,
} from '../../../symptoms/infrastructure/queries/diary-query';
import { NamedQueryRunner } from '../application/named-query.runner';

/**
 * The bridge's queries: the fixed catalogue of named diary reads, run on this process's own
 * database adapters. No SQL crosses the wire; an unknown name or bad params are a 400.
 */
export class CatalogueQueryRunner extends NamedQueryRunner {
  constructor(
    private readonly executor: DiaryQueryExecutor,
    private readonly queries: ReadonlyMap<string, AnyDiaryQuery> = DIARY_QUERIES,
  ) {
    super();
  }

  async run(name: string, params: unknown): Promise<Json> {
    const query = this.queries.get(name);
    if (query === undefined) {
      throw new InvalidInputError(
        'BRIDGE.UNKNOWN_QUERY',
        'The bridge serves no query of this name.',
        [{ name: 'name', reason: 'is not a known query' }],
      );
    }
    const args = query.decodeParams(params) as unknown[];
    const result: unknown = await this.executor.execute(query, args);
    return query.encodeResult(result);
  }
}
