import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { appDatabaseConfig, type AppDatabaseConfig } from '../../config/configuration';
import { APPLICATION_NAME } from './database.module';
import { DiaryConnection } from './diary-connection';
import { CreateAuthTables1767225600000 } from './migrations/1767225600000-create-auth-tables';
import { CreateErrorStore1767312000000 } from './migrations/1767312000000-create-error-store';
import { SlowQueryLogger } from './slow-query.logger';

/** The TypeORM data source of the app's own tables (read-write; never the diary). */
export const APP_DATA_SOURCE = 'app';
/** The app's own schema, in whichever database holds it. */
export const APP_SCHEMA = 'app';
/** The embedded default's database for the app's tables, beside the diary's. */
export const EMBEDDED_APP_DATABASE = 'app';
/** Every migration, oldest first (listed, not globbed: the same in dist/ and under ts-jest). */
export const APP_MIGRATIONS = [CreateAuthTables1767225600000, CreateErrorStore1767312000000];
/** pg_advisory_lock key: instances starting together migrate one after the other. */
const MIGRATION_LOCK_KEY = 0x5d1a7a;
const APP_STATEMENT_TIMEOUT_MS = 10_000;

export interface AppDatabaseLocation {
  readonly url: string;
  /** TLS settings when the app's tables live on the diary's server (DATABASE_CA_FILE). */
  readonly caFile?: string;
}

/**
 * Where the app's tables live: APP_DATABASE_URL when set; otherwise the diary's server and
 * database (schema `app`, so the diary's role needs CREATE there); on the embedded default a
 * database `app` of the same embedded cluster. DATA_SOURCE=bridge has no diary connection, so it
 * needs APP_DATABASE_URL.
 */
export async function locateAppDatabase(
  config: AppDatabaseConfig,
  diary: DiaryConnection | undefined,
): Promise<AppDatabaseLocation> {
  assertAppDatabaseLocatable(config);
  if (config.url) return { url: config.url };
  if (config.diaryUrl) return { url: config.diaryUrl, caFile: config.caFile };
  const url = await diary?.embeddedDatabaseUrl(EMBEDDED_APP_DATABASE);
  if (url === undefined) throw new Error('The embedded PostgreSQL is not running');
  return { url };
}

/** DATA_SOURCE=bridge has no diary server to share: APP_DATABASE_URL is required. */
export function assertAppDatabaseLocatable(
  config: Pick<AppDatabaseConfig, 'url' | 'dataSource'>,
): void {
  if (config.url || config.dataSource !== 'bridge') return;
  throw new Error(
    "DATA_SOURCE=bridge needs APP_DATABASE_URL (or APP_DATABASE_URL_FILE): the database of the app's own users and tokens",
  );
}

export function appDataSourceOptions(
  location: AppDatabaseLocation,
  config: AppDatabaseConfig,
): TypeOrmModuleOptions {
  return {
    name: APP_DATA_SOURCE,
    type: 'postgres',
    url: location.url,
    applicationName: APPLICATION_NAME,
    schema: APP_SCHEMA,
    entities: [],
    synchronize: false,
    // Run by openAppDataSource under an advisory lock, after the schema exists.
    migrationsRun: false,
    migrations: APP_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    poolSize: 5,
    connectTimeoutMS: config.connectTimeoutMs,
    logger: new SlowQueryLogger(),
    logging: ['error', 'warn', 'migration'],
    retryAttempts: 3,
    retryDelay: 1000,
    ssl: location.caFile
      ? { ca: readFileSync(location.caFile, 'utf8'), rejectUnauthorized: true }
      : undefined,
    extra: {
      statement_timeout: APP_STATEMENT_TIMEOUT_MS,
      query_timeout: APP_STATEMENT_TIMEOUT_MS + 1000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    },
  };
}

/**
 * Connects and brings the app's schema up to date: the schema is created and pending migrations
 * run in one transaction, while holding an advisory lock so that instances starting at once do
 * not race. A failure stops the boot with a message saying what to do.
 */
export async function openAppDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await withMigrationLock(runner, async () => {
        // Created only when missing: a schema made beforehand by a DBA (owned by the app's role)
        // needs no CREATE right on the database.
        const found = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
          APP_SCHEMA,
        ])) as unknown[];
        if (found.length === 0) await runner.query(`CREATE SCHEMA ${APP_SCHEMA}`);
        const applied = await dataSource.runMigrations({ transaction: 'all' });
        if (applied.length > 0) {
          new Logger('AppDatabase').log(
            `app schema migrated: ${applied.map((m) => m.name).join(', ')}`,
          );
        }
      });
    } finally {
      await runner.release();
    }
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw new Error(
      `The app's own tables (schema ${APP_SCHEMA}) could not be prepared: ` +
        `${error instanceof Error ? error.message : 'unknown error'}. ` +
        'Without APP_DATABASE_URL they go into the diary database, whose role then needs CREATE on it; ' +
        'or point APP_DATABASE_URL at a database of their own.',
      { cause: error },
    );
  }
  return dataSource;
}

async function withMigrationLock(runner: QueryRunner, work: () => Promise<void>): Promise<void> {
  // Waiting for another instance's migration is not a slow statement.
  await runner.query('SET statement_timeout = 0');
  await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await runner.query('RESET statement_timeout');
  }
}

/**
 * The app's own database (users, tokens): a read-write TypeORM data source named 'app', apart
 * from the read-only diary. Migrated at boot; `synchronize` is off.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: APP_DATA_SOURCE,
      inject: [appDatabaseConfig.KEY, { token: DiaryConnection, optional: true }],
      useFactory: async (config: AppDatabaseConfig, diary?: DiaryConnection) =>
        appDataSourceOptions(await locateAppDatabase(config, diary), config),
      dataSourceFactory: (options?: DataSourceOptions) => {
        if (!options) throw new Error('the app data source has no options');
        return openAppDataSource(options);
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class AppDatabaseModule {}
