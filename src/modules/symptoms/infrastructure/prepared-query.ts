import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { SqlStatement } from './entry-page.sql';

/** A stable name for a statement's text: each pooled connection prepares it once. */
export function preparedName(text: string): string {
  return `sd_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

/**
 * Runs a statement as a named prepared statement on the diary data source's pool: PostgreSQL
 * parses and plans it once per connection instead of on every request (measured in
 * docs/performance.md). Errors come back as TypeORM's QueryFailedError and slow queries are
 * logged through the data source's logger, as for any other query.
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  statement: SqlStatement,
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  // Failing to connect surfaces as the driver's own error (the diary is unreachable); a failing
  // query as a QueryFailedError, as TypeORM reports it.
  const client = await pool.connect();
  // A checked-out client has no 'error' listener of the pool's: when the connection dies under
  // the query, pg rejects the query *and* emits 'error' on the client, which would otherwise be
  // an uncaught exception that ends the process. Listen while we hold it (as pool.query does).
  let connectionLost: Error | undefined;
  const onError = (error: Error) => {
    connectionLost ??= error;
  };
  client.on('error', onError);
  const started = Date.now();
  let failure: unknown;
  try {
    const result = await client.query({
      name: preparedName(statement.text),
      text: statement.text,
      values: statement.values,
    });
    return result.rows as T[];
  } catch (error) {
    failure = error;
    throw new QueryFailedError(statement.text, statement.values, error as Error);
  } finally {
    client.removeListener('error', onError);
    // A connection that broke under the query is destroyed, not handed to the next request.
    client.release(connectionLost ?? (brokeConnection(failure) ? (failure as Error) : undefined));
    const elapsed = Date.now() - started;
    const slow = dataSource.options.maxQueryExecutionTime;
    if (slow !== undefined && elapsed > slow)
      dataSource.logger.logQuerySlow(elapsed, statement.text);
  }
}

/** Errors after which the connection cannot be reused (not a statement timeout or SQL error). */
function brokeConnection(error: unknown): boolean {
  if (error === undefined) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code !== 'string' || code.startsWith('57P') || code.startsWith('08');
}
