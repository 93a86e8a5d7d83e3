import Fastify from 'fastify';
import { Pool } from 'pg';
import { SymptomCatalog } from '../../modules/symptoms/domain/symptom-catalog';
import { SymptomVocabulary } from '../../modules/symptoms/domain/symptom-vocabulary';
import { DiaryClock } from '../../modules/symptoms/infrastructure/diary-clock';
import {
  entryPageStatement,
  EntryPageRow,
  recordedNamesStatement,
} from '../../modules/symptoms/infrastructure/entry-page.sql';
import { preparedName } from '../../modules/symptoms/infrastructure/prepared-query';
import { formatInZone, parseDiaryDate } from '../../shared/interface/diary-date';

/**
 * The floor for `npm run bench:symptoms`: `GET /api/health/symptoms` as bare Fastify + one pg
 * Pool, with the same SQL and the same JSON shape as the service, but no Nest, no validation
 * framework, no logging. Names are resolved once at startup (the distinct names through the
 * same SymptomVocabulary). Only the parameters the benchmark sends are supported (symptom, from,
 * to, page, limit; newest first). Not part of the service: a benchmark fixture.
 *
 * Env: DATABASE_URL, PORT, DIARY_TIMEZONE, DB_POOL_SIZE (default 10).
 */

type QueryValue = string | string[] | undefined;
type Query = Record<string, QueryValue>;

function first(value: QueryValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function positiveInt(value: QueryValue, fallback: number, max: number): number | undefined {
  const text = first(value);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= max ? n : undefined;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const port = Number(process.env.PORT ?? 3000);
  const zone = process.env.DIARY_TIMEZONE ?? 'UTC';
  const poolSize = Number(process.env.DB_POOL_SIZE ?? 10);

  // The same session settings as the service's diary data source.
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'symptom-bench-bare',
    options: '-c default_transaction_read_only=on',
    statement_timeout: 3000,
    query_timeout: 4000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  pool.on('error', () => undefined);

  const catalog = SymptomCatalog.standard;
  const vocabulary = SymptomVocabulary.standard();
  const clock = new DiaryClock(zone);

  // Name index, once.
  const namesByConcept = new Map<string, string[]>();
  const conceptOfName = new Map<string, string | null>();
  const recorded = recordedNamesStatement('public.symptom_log');
  const distinct = await pool.query<{ name: string }>(recorded.text, recorded.values);
  for (const { name: sym } of distinct.rows) {
    const concept = vocabulary.normalise(sym)?.conceptId ?? null;
    conceptOfName.set(sym, concept);
    if (concept === null) continue;
    const list = namesByConcept.get(concept);
    if (list) list.push(sym);
    else namesByConcept.set(concept, [sym]);
  }

  const app = Fastify({ logger: false, keepAliveTimeout: 65_000 });

  app.get('/health/ready', async (_request, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'error' });
    }
  });

  app.get('/api/health/symptoms', async (request, reply) => {
    const query = request.query as Query;
    const raw = query.symptom;
    const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const from = first(query.from);
    const to = first(query.to);
    const page = positiveInt(query.page, 1, 100_000);
    const limit = positiveInt(query.limit, 20, 100);
    if (
      ids.length === 0 ||
      !ids.every((id) => catalog.has(id)) ||
      from === undefined ||
      to === undefined ||
      page === undefined ||
      limit === undefined
    ) {
      return reply.code(400).send({ status: 400, title: 'unsupported parameters' });
    }
    let fromLocal: string;
    let toLocal: string;
    try {
      fromLocal = clock.toLocal(parseDiaryDate(from, zone, 'from'));
      toLocal = clock.toLocal(parseDiaryDate(to, zone, 'to'));
    } catch {
      return reply.code(400).send({ status: 400, title: 'invalid date' });
    }
    const names = ids.flatMap((id) => namesByConcept.get(id) ?? []);
    if (names.length === 0) return { data: [], meta: { total: 0, page, limit } };
    try {
      // The very statement the service's repository sends (entry-page.sql.ts).
      const statement = entryPageStatement(
        'public.symptom_log',
        { names, fromLocal, toLocal },
        { field: 'occurredAt', direction: 'desc' },
        { page, limit },
      );
      const { rows } = await pool.query<EntryPageRow>({
        name: preparedName(statement.text),
        text: statement.text,
        values: statement.values,
      });
      const total = rows[0]?.total ?? 0;
      return {
        data: rows
          .filter((row) => row.log_id !== null)
          .map((row) => {
            const sym = row.sym as string;
            const conceptId = conceptOfName.get(sym) ?? null;
            const concept = conceptId ? catalog.get(conceptId) : undefined;
            return {
              id: row.log_id,
              symptom: concept ? { id: concept.id, name: concept.name } : null,
              recordedAs: sym,
              occurredAt: formatInZone(clock.toInstant(row.logged as string), zone),
              severity: row.sev,
              durationMinutes: row.dur_mins,
              notes: row.notes,
              person: row.person,
            };
          }),
        meta: { total, page, limit },
      };
    } catch {
      return reply.code(503).send({ status: 503, title: 'diary unavailable' });
    }
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  await app.listen({ port, host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bare server failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
