import { Global, Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import {
  databaseConfig,
  DatabaseConfig,
  diaryConfig,
  DiaryConfig,
} from '../../config/configuration';
import { DiaryConnection } from './diary-connection';
import { SlowQueryLogger } from './slow-query.logger';

/** The name of the TypeORM data source that reads the diary (read-only). */
export const DIARY_DATA_SOURCE = 'diary';
export const APPLICATION_NAME = 'symptom-diary-api';
/**
 * Optional DI token: the application_name of the diary sessions, so that an operator tells the
 * bridge process's connections from the API's in pg_stat_activity. Unbound: APPLICATION_NAME.
 */
export const DIARY_APPLICATION_NAME = Symbol('DiaryApplicationName');

export function diaryDataSourceOptions(
  url: string,
  config: DatabaseConfig,
  entities: TypeOrmModuleOptions['entities'] = [],
  applicationName: string = APPLICATION_NAME,
): TypeOrmModuleOptions {
  return {
    name: DIARY_DATA_SOURCE,
    type: 'postgres',
    url,
    applicationName,
    schema: config.diarySchema,
    entities,
    autoLoadEntities: true,
    synchronize: false,
    migrationsRun: false,
    poolSize: config.poolSize,
    connectTimeoutMS: config.connectTimeoutMs,
    maxQueryExecutionTime: config.slowQueryMs,
    logger: new SlowQueryLogger(),
    logging: ['error', 'warn'],
    // Retry the first connection a few times, then fail the boot with a clear error.
    retryAttempts: 3,
    retryDelay: 1000,
    // TLS to the diary server when its CA is configured: verify-full (chain and host name).
    ssl: config.caFile
      ? { ca: readFileSync(config.caFile, 'utf8'), rejectUnauthorized: true }
      : undefined,
    extra: {
      // Every diary session is read-only and bounded; the server cancels a statement over the
      // timeout, the client gives up shortly after in case the server itself is unreachable.
      options: '-c default_transaction_read_only=on',
      statement_timeout: config.statementTimeoutMs,
      query_timeout: config.statementTimeoutMs + 1000,
      idle_in_transaction_session_timeout: config.statementTimeoutMs * 2,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    },
  };
}

@Global()
@Module({
  providers: [
    {
      provide: DiaryConnection,
      inject: [databaseConfig.KEY, diaryConfig.KEY],
      useFactory: (database: DatabaseConfig, diary: DiaryConfig) =>
        DiaryConnection.resolve(database, diary),
    },
  ],
  exports: [DiaryConnection],
})
class DiaryConnectionModule {}

@Global()
@Module({
  imports: [
    DiaryConnectionModule,
    TypeOrmModule.forRootAsync({
      name: DIARY_DATA_SOURCE,
      inject: [
        DiaryConnection,
        databaseConfig.KEY,
        { token: DIARY_APPLICATION_NAME, optional: true },
      ],
      useFactory: (connection: DiaryConnection, config: DatabaseConfig, name?: string) =>
        diaryDataSourceOptions(connection.url, config, [], name ?? APPLICATION_NAME),
    }),
  ],
  exports: [DiaryConnectionModule, TypeOrmModule],
})
export class DatabaseModule {}
