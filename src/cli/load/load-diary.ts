import { Client } from 'pg';
import { seedDemoDiary } from '../../infrastructure/database/demo-diary.seeder';
import { diaryTableDdl, recommendedIndexDdl } from '../../infrastructure/database/diary-schema';
import { DEMO_PEOPLE } from '../../modules/symptoms/infrastructure/demo/demo-diary.generator';
import { createAccount } from '../bench/bench-support';

/**
 * The load test's diary: a household-sized demo diary (the one `npm start` serves: three people,
 * 15 months, a few thousand entries) in the database `sd_load`, refilled on every run so that it
 * ends today, and one `user` account per person, made with `npm run user:create`.
 */

export const LOAD_DB = 'sd_load';
export const LOAD_ZONE = 'Europe/Berlin';
export const LOAD_JWT_SECRET = 'load-test-jwt-secret-for-the-load-database-only-0123456789';
export const LOAD_PASSWORD = 'load-test-password-2026-not-secret';

export interface LoadAccount {
  person: string;
  email: string;
}

export async function prepareLoadDiary(serverUrl: string): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${LOAD_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${LOAD_DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${LOAD_DB}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(diaryTableDdl('public'));
    for (const ddl of recommendedIndexDdl('public')) await client.query(ddl);
    await seedDemoDiary(client, 'public', LOAD_ZONE);
    await client.query('VACUUM ANALYZE public.symptom_log');
  } finally {
    await client.end();
  }
  return url.toString();
}

/** One `user` per demo person (the app's migrations run on the first user:create). */
export function createLoadAccounts(databaseUrl: string): LoadAccount[] {
  return DEMO_PEOPLE.map((person) => {
    const email = `load-${person.toLowerCase()}@example.com`;
    createAccount(['--email', email, '--role', 'user', '--person', person], LOAD_PASSWORD, {
      JWT_SECRET: LOAD_JWT_SECRET,
      DATABASE_URL: databaseUrl,
      DIARY_TIMEZONE: LOAD_ZONE,
    });
    return { person, email };
  });
}
