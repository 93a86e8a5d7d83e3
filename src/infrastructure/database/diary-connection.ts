import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { DatabaseConfig, DiaryConfig } from '../../config/configuration';
import { diaryTableDdl, recommendedIndexDdl } from './diary-schema';
import { seedDemoDiary } from './demo-diary.seeder';
import { EmbeddedPostgresServer } from './embedded-postgres.server';

/**
 * Where the diary is. With DATABASE_URL, that server, untouched. Without it, an embedded
 * PostgreSQL in DATA_DIR holding a `symptom_log` table like the home server's, filled once with
 * the demo diary. Stops the embedded server last, on shutdown.
 */
export class DiaryConnection implements OnApplicationShutdown {
  private constructor(
    readonly url: string,
    private readonly embedded?: EmbeddedPostgresServer,
  ) {}

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  static async resolve(database: DatabaseConfig, diary: DiaryConfig): Promise<DiaryConnection> {
    if (database.diaryUrl) return new DiaryConnection(database.diaryUrl);
    const logger = new Logger('EmbeddedPostgres');
    const server = new EmbeddedPostgresServer({
      dataDir: database.embedded.dataDir,
      port: database.embedded.port,
      log: (message) => logger.debug(message),
    });
    const started = Date.now();
    await server.start();
    await server.ensureDatabase('diary');
    const url = server.url('diary');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${database.diarySchema}`);
      await client.query(diaryTableDdl(database.diarySchema));
      for (const ddl of recommendedIndexDdl(database.diarySchema)) await client.query(ddl);
      const seeded = database.embedded.demoData
        ? await seedDemoDiary(client, database.diarySchema, diary.timeZone)
        : 0;
      logger.log(
        `embedded PostgreSQL ready in ${Date.now() - started} ms` +
          (seeded > 0 ? `; demo diary filled with ${seeded} entries` : ''),
      );
    } finally {
      await client.end();
    }
    return new DiaryConnection(url, server);
  }

  /**
   * On the embedded default, the URL of another database of the same cluster (created when
   * missing): the app's own tables live beside the diary, never in it. Undefined otherwise.
   */
  async embeddedDatabaseUrl(database: string): Promise<string | undefined> {
    if (!this.embedded) return undefined;
    await this.embedded.ensureDatabase(database);
    return this.embedded.url(database);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    await this.embedded.stop();
    new Logger('EmbeddedPostgres').log('embedded PostgreSQL stopped');
  }
}
