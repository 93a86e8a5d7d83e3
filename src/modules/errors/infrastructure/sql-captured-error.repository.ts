import type { DataSource } from 'typeorm';
import { DependencyUnavailableError } from '../../../shared/domain/domain-error';
import { APP_SCHEMA } from '../../../infrastructure/database/app-database.module';
import {
  CapturedErrorQuery,
  CapturedErrorRepository,
} from '../application/captured-error.repository';
import type { CapturedError } from '../domain/captured-error';

export const CAPTURED_ERRORS_TABLE = `${APP_SCHEMA}.captured_errors`;
const COLUMNS = 'id, occurred_at, request_id, method, route, status, code, name, message, stack';

interface Row {
  id: string;
  occurred_at: Date;
  request_id: string;
  method: string;
  route: string;
  status: number;
  code: string;
  name: string;
  message: string;
  stack: string | null;
}

const toCapturedError = (row: Row): CapturedError => ({
  id: row.id,
  occurredAt: new Date(row.occurred_at),
  requestId: row.request_id,
  method: row.method,
  route: row.route,
  status: Number(row.status),
  code: row.code,
  name: row.name,
  message: row.message,
  stack: row.stack,
});

/**
 * The error store on `app.captured_errors` (migration CreateErrorStore), bound parameters only.
 * Reads that fail answer 503 (ERRORS.STORE_UNAVAILABLE); writes and pruning let the caller
 * decide (the capture service logs and counts, and never fails a request for it).
 */
export class SqlCapturedErrorRepository extends CapturedErrorRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async save(error: CapturedError): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CAPTURED_ERRORS_TABLE} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        error.id,
        error.occurredAt,
        error.requestId,
        error.method,
        error.route,
        error.status,
        error.code,
        error.name,
        error.message,
        error.stack,
      ],
    );
  }

  async find(query: CapturedErrorQuery): Promise<{ items: CapturedError[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.from) add('occurred_at >= ?', query.from);
    if (query.to) add('occurred_at < ?', query.to);
    if (query.route) add('route = ?', query.route);
    if (query.code) add('code = ?', query.code);
    if (query.requestId) add('request_id = ?', query.requestId);
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.reading(async () => {
      const rows = await this.dataSource.query<(Row & { total: string })[]>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total FROM ${CAPTURED_ERRORS_TABLE} ${filter}
         ORDER BY occurred_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, (query.page - 1) * query.limit],
      );
      if (rows.length > 0 || query.page === 1) {
        return { items: rows.map(toCapturedError), total: Number(rows[0]?.total ?? 0) };
      }
      // A page past the end: the total still answers.
      const [{ total }] = await this.dataSource.query<{ total: string }[]>(
        `SELECT count(*) AS total FROM ${CAPTURED_ERRORS_TABLE} ${filter}`,
        params,
      );
      return { items: [], total: Number(total) };
    });
  }

  get(id: string): Promise<CapturedError | undefined> {
    return this.reading(async () => {
      const rows = await this.dataSource.query<Row[]>(
        `SELECT ${COLUMNS} FROM ${CAPTURED_ERRORS_TABLE} WHERE id = $1`,
        [id],
      );
      return rows[0] ? toCapturedError(rows[0]) : undefined;
    });
  }

  async prune(olderThan: Date, maxRows: number): Promise<number> {
    const old = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM ${CAPTURED_ERRORS_TABLE} WHERE occurred_at < $1`,
      [olderThan],
    );
    const excess = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM ${CAPTURED_ERRORS_TABLE} WHERE id IN (
         SELECT id FROM ${CAPTURED_ERRORS_TABLE} ORDER BY occurred_at DESC, id OFFSET $1)`,
      [maxRows],
    );
    return affected(old) + affected(excess);
  }

  private async reading<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new DependencyUnavailableError(
        'ERRORS.STORE_UNAVAILABLE',
        'The error store cannot be read right now. Try again shortly.',
        5,
      );
    }
  }
}

/** TypeORM's postgres driver answers a DELETE with [rows, affected count]. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
