import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app's users, refresh tokens and failed sign-in counters, in the app's own schema `app`
 * (created before migrations run, see app-database.module.ts). Never touches the diary.
 */
export class CreateAuthTables1767225600000 implements MigrationInterface {
  name = 'CreateAuthTables1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE app.users (
        id            uuid PRIMARY KEY,
        email         varchar(254) NOT NULL,
        password_hash text NOT NULL,
        role          varchar(10) NOT NULL,
        person        varchar(40),
        state         varchar(10) NOT NULL DEFAULT 'active',
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        CONSTRAINT users_role_check CHECK (role IN ('user', 'admin')),
        CONSTRAINT users_state_check CHECK (state IN ('active', 'disabled')),
        CONSTRAINT users_person_required CHECK (role = 'admin' OR person IS NOT NULL),
        CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)))
      )`);
    await runner.query(`CREATE UNIQUE INDEX users_email_key ON app.users (email)`);
    await runner.query(`
      CREATE TABLE app.refresh_tokens (
        id         uuid PRIMARY KEY,
        user_id    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
        family_id  uuid NOT NULL,
        token_hash char(64) NOT NULL,
        issued_at  timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX refresh_tokens_hash_key ON app.refresh_tokens (token_hash)`,
    );
    await runner.query(`CREATE INDEX refresh_tokens_family_idx ON app.refresh_tokens (family_id)`);
    await runner.query(`CREATE INDEX refresh_tokens_user_idx ON app.refresh_tokens (user_id)`);
    await runner.query(
      `CREATE INDEX refresh_tokens_expires_idx ON app.refresh_tokens (expires_at)`,
    );
    await runner.query(`
      CREATE TABLE app.login_attempts (
        key             varchar(100) PRIMARY KEY,
        failures        integer NOT NULL,
        last_failure_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX login_attempts_last_failure_idx ON app.login_attempts (last_failure_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS app.login_attempts`);
    await runner.query(`DROP TABLE IF EXISTS app.refresh_tokens`);
    await runner.query(`DROP TABLE IF EXISTS app.users`);
  }
}
