import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';
import { DependencyUnavailableError, DomainError } from '../../../shared/domain/domain-error';

const logger = new Logger('AppDatabase');

/**
 * A failure of the app database (unreachable, timed out, …) as a 503 problem: sign-in and token
 * checks fail closed, saying so, never as a bare 500. Domain errors and unique violations (which
 * the adapters translate) pass through. Logged with the driver's code, never the parameters.
 */
function unavailable(error: unknown): unknown {
  if (error instanceof DomainError || isUniqueViolation(error)) return error;
  const code = driverCode(error);
  logger.warn(
    { code, message: error instanceof Error ? error.message : 'unknown' },
    'app database failed',
  );
  return new DependencyUnavailableError(
    'AUTH.STORE_UNAVAILABLE',
    'Sign-in and access tokens cannot be checked right now. Try again shortly.',
    5,
  );
}

/** Rows and affected count of one parameterised statement. */
export async function run<T>(
  runner: QueryRunner,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<{ rows: T[]; affected: number }> {
  const result = await runner.query(sql, [...parameters], true);
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/** One statement on a pooled connection. */
export async function once<T>(
  dataSource: DataSource,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<{ rows: T[]; affected: number }> {
  const runner = dataSource.createQueryRunner();
  try {
    return await run<T>(runner, sql, parameters);
  } catch (error) {
    throw unavailable(error);
  } finally {
    await runner.release();
  }
}

/** Several statements in one transaction, rolled back when `work` throws. */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw unavailable(error);
  } finally {
    await runner.release();
  }
}

/** PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return driverCode(error) === '23505';
}

function driverCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? ((error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
        (error as { code?: unknown }).code)
    : undefined;
}
