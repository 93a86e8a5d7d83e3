import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../infrastructure/database/app-database.module';
import { CounterUpdate, LoginAttemptStore } from '../application/login-attempt.store';
import type { AttemptCounter } from '../domain/login-lockout';
import { inTransaction, once, run } from './sql';

const TABLE = `${APP_SCHEMA}.login_attempts`;
const PURGE_EVERY_MS = 3_600_000;

/**
 * LoginAttemptStore on `app.login_attempts`: the rows of the keys are locked (SELECT … FOR
 * UPDATE, in key order so that two attempts never wait on each other crosswise) for the length
 * of one short transaction. Counters back at zero are deleted; stale ones are purged hourly.
 */
export class SqlLoginAttemptStore extends LoginAttemptStore {
  private nextPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    /** Counters whose last failure is older than this are deleted by the hourly purge. */
    private readonly forgetAfterMs: number,
  ) {
    super();
  }

  async update<T>(
    keys: readonly string[],
    decide: (current: ReadonlyMap<string, AttemptCounter>) => CounterUpdate<T>,
  ): Promise<T> {
    await this.purgeNowAndThen();
    const sorted = [...new Set(keys)].sort();
    return inTransaction(this.dataSource, async (runner) => {
      await run(
        runner,
        `INSERT INTO ${TABLE} (key, failures, last_failure_at)
         SELECT unnest($1::varchar[]), 0, NULL ORDER BY 1
         ON CONFLICT (key) DO NOTHING`,
        [sorted],
      );
      const { rows } = await run<{ key: string; failures: number; last_failure_at: Date | null }>(
        runner,
        `SELECT key, failures, last_failure_at FROM ${TABLE}
          WHERE key = ANY($1::varchar[]) ORDER BY key FOR UPDATE`,
        [sorted],
      );
      const current = new Map<string, AttemptCounter>(
        rows.map((r) => [
          r.key,
          {
            failures: r.failures,
            lastFailureAt: r.last_failure_at === null ? null : new Date(r.last_failure_at),
          },
        ]),
      );
      const { next, result } = decide(current);
      for (const [key, counter] of [...next].sort(([a], [b]) => a.localeCompare(b))) {
        if (counter.failures <= 0) {
          await run(runner, `DELETE FROM ${TABLE} WHERE key = $1`, [key]);
        } else {
          await run(
            runner,
            `UPDATE ${TABLE} SET failures = $2, last_failure_at = $3 WHERE key = $1`,
            [key, counter.failures, counter.lastFailureAt],
          );
        }
      }
      // Keys `decide` left alone that are still empty placeholders go again.
      await run(runner, `DELETE FROM ${TABLE} WHERE key = ANY($1::varchar[]) AND failures = 0`, [
        sorted,
      ]);
      return result;
    });
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now < this.nextPurge) return;
    this.nextPurge = now + PURGE_EVERY_MS;
    await once(this.dataSource, `DELETE FROM ${TABLE} WHERE last_failure_at < $1`, [
      new Date(now - this.forgetAfterMs),
    ]);
  }
}
