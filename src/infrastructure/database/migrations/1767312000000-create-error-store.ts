import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The error store (docs/errors.md): server-side errors with where and when they happened, in
 * the app's own schema. No health data: no query strings, bodies or utterances are written, and
 * messages and stacks are redacted before they get here. Bounded by pruning (retention, rows).
 */
export class CreateErrorStore1767312000000 implements MigrationInterface {
  name = 'CreateErrorStore1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE app.captured_errors (
        id          uuid PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        request_id  varchar(128) NOT NULL,
        method      varchar(10) NOT NULL,
        route       varchar(300) NOT NULL,
        status      smallint NOT NULL,
        code        varchar(100) NOT NULL,
        name        varchar(200) NOT NULL,
        message     varchar(1000) NOT NULL,
        stack       varchar(8000)
      )`);
    await runner.query(
      `CREATE INDEX captured_errors_occurred_idx ON app.captured_errors (occurred_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX captured_errors_route_idx ON app.captured_errors (route, occurred_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX captured_errors_code_idx ON app.captured_errors (code, occurred_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX captured_errors_request_idx ON app.captured_errors (request_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS app.captured_errors`);
  }
}
