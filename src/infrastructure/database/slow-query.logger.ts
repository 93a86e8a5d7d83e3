import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM logger that reports slow and failed queries with their duration and SQL text (which is
 * parameterised), never their parameters: those are a person's health data.
 */
export class SlowQueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query: compact(query) }, 'slow query');
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    this.logger.warn(
      { query: compact(query), code, message: typeof error === 'string' ? error : error.message },
      'query failed',
    );
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

function compact(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 500);
}
