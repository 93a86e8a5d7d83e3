import { DateTime } from 'luxon';
import type { Client } from 'pg';
import { generateDemoDiary } from '../../modules/symptoms/infrastructure/demo/demo-diary.generator';

const BATCH = 1000;

/**
 * Fills an empty embedded diary once with the demo diary, ending at the current local date of
 * the diary's zone. A diary that already has rows is left alone, so restarts keep the data.
 */
export async function seedDemoDiary(
  client: Client,
  schema: string,
  timeZone: string,
  now: Date = new Date(),
): Promise<number> {
  const existing = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${schema}.symptom_log`,
  );
  if (Number(existing.rows[0]?.n ?? 0) > 0) return 0;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const rows = generateDemoDiary({
    today: local.toFormat('yyyy-MM-dd'),
    nowTime: local.toFormat('HH:mm'),
  });
  await client.query('BEGIN');
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      await client.query(
        `INSERT INTO ${schema}.symptom_log (person, sym, sev, logged, dur_mins, notes, deleted)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::smallint[], $4::timestamp[],
                              $5::integer[], $6::text[], $7::char[])`,
        [
          batch.map((r) => r.person),
          batch.map((r) => r.sym),
          batch.map((r) => r.sev),
          batch.map((r) => r.logged),
          batch.map((r) => r.dur_mins),
          batch.map((r) => r.notes),
          batch.map((r) => r.deleted),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return rows.length;
}
