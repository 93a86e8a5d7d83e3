import { Client } from 'pg';
import { diaryTableDdl, recommendedIndexDdl } from '../../infrastructure/database/diary-schema';
import {
  DEMO_PEOPLE,
  DEMO_SPELLINGS,
} from '../../modules/symptoms/infrastructure/demo/demo-diary.generator';

/**
 * The benchmark diary shared by bench:symptoms and bench:bridge: a 1,000,000-row `symptom_log`
 * in the `sd_bench` database, filled once (a marker comment says by which generator) and reused.
 */

const GENERATOR_VERSION = 'sd_bench symptom_log generator v1';
export const ROWS = 1_000_000;
export const BENCH_DB = 'sd_bench';
export const ZONE = 'Europe/Berlin';
const SLOTS = 10_000;
const HEADACHE_SHARE = 0.05;

export interface BenchMonth {
  from: string;
  to: string;
}

/** The month the benchmarks query (BENCH_MONTH, YYYY-MM; default 2026-02). */
export function benchMonth(): BenchMonth {
  const value = process.env.BENCH_MONTH ?? '2026-02';
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) throw new Error('BENCH_MONTH must be YYYY-MM');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: `${value}-01`, to: `${next}-01` };
}

export interface Distribution {
  /** Distinct spellings, in order; slots index into it (1-based). */
  names: string[];
  /** SLOTS entries, each a 1-based index into `names`: a weighted pick is one uniform draw. */
  slots: number[];
  headacheNames: string[];
}

/**
 * Every DEMO spelling of every concept. Headache gets HEADACHE_SHARE of the rows; the other
 * concepts share the rest by 1/(rank+3) in catalog order (skewed, none dominant); within a
 * concept the n-th spelling weighs 1/n^1.5 (the canonical spelling is typed most often).
 */
export function nameDistribution(): Distribution {
  const concepts = Object.keys(DEMO_SPELLINGS);
  const others = concepts.filter((id) => id !== 'headache');
  const otherTotal = others.reduce((sum, _id, rank) => sum + 1 / (rank + 4), 0);
  const weights: { name: string; weight: number }[] = [];
  for (const id of concepts) {
    const share =
      id === 'headache'
        ? HEADACHE_SHARE
        : ((1 - HEADACHE_SHARE) * (1 / (others.indexOf(id) + 4))) / otherTotal;
    const spellings = DEMO_SPELLINGS[id];
    const spellingTotal = spellings.reduce((sum, _s, i) => sum + 1 / (i + 1) ** 1.5, 0);
    spellings.forEach((name, i) =>
      weights.push({ name, weight: (share * (1 / (i + 1) ** 1.5)) / spellingTotal }),
    );
  }
  // Largest remainder, at least one slot each.
  const counts = weights.map((w) => Math.max(1, Math.floor(w.weight * SLOTS)));
  const order = weights
    .map((w, i) => ({ i, rest: w.weight * SLOTS - Math.floor(w.weight * SLOTS) }))
    .sort((a, b) => b.rest - a.rest);
  let missing = SLOTS - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) counts[order[k].i]++;
  for (let k = order.length - 1; missing < 0; k = (k - 1 + order.length) % order.length) {
    if (counts[order[k].i] > 1) {
      counts[order[k].i]--;
      missing++;
    }
  }
  const slots: number[] = [];
  counts.forEach((count, i) => {
    for (let c = 0; c < count; c++) slots.push(i + 1);
  });
  return {
    names: weights.map((w) => w.name),
    slots,
    headacheNames: [...DEMO_SPELLINGS.headache],
  };
}

/** People weighted 40/25/35 over 20 slots. */
function peopleSlots(): string[] {
  const [a, b, c] = DEMO_PEOPLE;
  return [...Array<string>(8).fill(a), ...Array<string>(5).fill(b), ...Array<string>(7).fill(c)];
}

const NOTES = [
  'after a long day at the screen',
  'woke up with it',
  'took ibuprofen',
  'better after rest',
  'worse in the evening',
  'after exercise',
  'stressful day',
  'slept badly',
  'came on suddenly',
  'lasted most of the day',
];

/** One INSERT … SELECT over generate_series; the diary is appended in time order, as in life. */
const FILL_SQL = `
INSERT INTO public.symptom_log (log_id, person, sym, sev, logged, dur_mins, notes, deleted)
SELECT g,
       ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int],
       ($2::text[])[($3::int[])[1 + floor(random() * ${SLOTS})::int]],
       CASE WHEN random() < 0.10 THEN NULL
            ELSE least(10, 1 + floor(random() * 5.5 + random() * 4.5))::smallint END,
       date_trunc('second',
         $4::timestamp + ($5::timestamp - $4::timestamp) * ((g - 1 + random()) / $6::int)),
       CASE WHEN random() < 0.45 THEN NULL ELSE (5 + floor(random() * random() * 600))::int END,
       CASE WHEN random() < 0.80 THEN NULL
            ELSE ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int] END,
       CASE WHEN random() < 0.02 THEN 'Y' ELSE 'N' END
FROM generate_series(1, $6::int) AS g`;

interface Marker {
  from: string;
  to: string;
}

function parseMarker(comment: string | null): Marker | undefined {
  const match = comment?.match(
    /^(.*); rows=(\d+); from=(\d{4}-\d{2}-\d{2}); to=(\d{4}-\d{2}-\d{2})$/,
  );
  if (!match || match[1] !== GENERATOR_VERSION || Number(match[2]) !== ROWS) return undefined;
  return { from: match[3], to: match[4] };
}

export async function ensureDatabase(serverUrl: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${BENCH_DB}`);
      console.log(`created database ${BENCH_DB}`);
    }
  } finally {
    await client.end();
  }
}

/** Why the table must be (re)filled, or undefined when it can be reused. */
async function staleReason(client: Client, month: BenchMonth): Promise<string | undefined> {
  const table = await client.query<{ comment: string | null }>(
    `SELECT obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname = 'symptom_log' AND c.relkind = 'r'`,
  );
  if (table.rowCount === 0) return 'no table yet';
  const marker = parseMarker(table.rows[0].comment);
  if (!marker) return 'table not made by this generator version';
  if (marker.from > month.from || marker.to < month.to) {
    return `table covers ${marker.from}..${marker.to}, not the benchmark month`;
  }
  const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM public.symptom_log');
  if (Number(count.rows[0].n) !== ROWS) return `table holds ${count.rows[0].n} rows`;
  return undefined;
}

async function fill(client: Client, distribution: Distribution): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL synchronous_commit = off');
    await client.query('DROP TABLE IF EXISTS public.symptom_log');
    await client.query(diaryTableDdl('public'));
    await client.query('SELECT setseed(0.20260101)');
    const bounds = await client.query<{ start: string; end: string }>(
      `SELECT (date_trunc('second', now() AT TIME ZONE $1) - interval '15 months')::text AS start,
              date_trunc('second', now() AT TIME ZONE $1)::text AS end`,
      [ZONE],
    );
    const { start, end } = bounds.rows[0];
    await client.query(FILL_SQL, [
      peopleSlots(),
      distribution.names,
      distribution.slots,
      start,
      end,
      ROWS,
      NOTES,
    ]);
    await client.query(
      `SELECT setval(pg_get_serial_sequence('public.symptom_log', 'log_id'), ${ROWS})`,
    );
    for (const ddl of recommendedIndexDdl('public')) await client.query(ddl);
    const comment = `${GENERATOR_VERSION}; rows=${ROWS}; from=${start.slice(0, 10)}; to=${end.slice(0, 10)}`;
    await client.query(`COMMENT ON TABLE public.symptom_log IS '${comment}'`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * VACUUM (ANALYZE) until the visibility map covers the table: sets hint bits and gathers
 * statistics so that autovacuum does not wake up in the middle of a measurement, and lets the
 * counts the plans rely on run index-only. A VACUUM that runs while another session holds an
 * old snapshot (seen right after the fill on a fresh machine) leaves pages not all-visible, and
 * those counts turn into heap scans, 10-20x slower (measured): check, and repeat if needed.
 */
async function vacuumUntilAllVisible(client: Client): Promise<void> {
  let visible = 0;
  for (let attempt = 1; attempt <= 5; attempt++) {
    await client.query('VACUUM (ANALYZE) public.symptom_log');
    const map = await client.query<{ relpages: number; relallvisible: number }>(
      `SELECT relpages, relallvisible FROM pg_class WHERE oid = 'public.symptom_log'::regclass`,
    );
    const { relpages, relallvisible } = map.rows[0];
    visible = relpages > 0 ? relallvisible / relpages : 1;
    if (visible >= 0.99) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.warn(
    `table: only ${(100 * visible).toFixed(0)} % of pages all-visible after VACUUM ` +
      '(another session holds an old snapshot?): counts will read the heap and run slower',
  );
}

export async function prepareTable(
  benchUrl: string,
  refill: boolean,
  month: BenchMonth,
  distribution: Distribution,
): Promise<void> {
  const client = new Client({ connectionString: benchUrl });
  await client.connect();
  try {
    const reason = refill ? '--refill' : await staleReason(client, month);
    if (reason === undefined) {
      console.log(`table: reusing symptom_log (${ROWS.toLocaleString('en')} rows, marker ok)`);
    } else {
      console.log(`table: filling symptom_log with ${ROWS.toLocaleString('en')} rows (${reason})`);
      const started = performance.now();
      await fill(client, distribution);
      console.log(`table: filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await vacuumUntilAllVisible(client);
    const stats = await client.query<{
      total: string;
      deleted: string;
      unrated: string;
      headache: string;
      month_headache: string;
    }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE deleted = 'Y') AS deleted,
              count(*) FILTER (WHERE sev IS NULL) AS unrated,
              count(*) FILTER (WHERE sym = ANY($1)) AS headache,
              count(*) FILTER (WHERE sym = ANY($1) AND deleted <> 'Y'
                                 AND logged >= $2::timestamp AND logged < $3::timestamp)
                AS month_headache
       FROM public.symptom_log`,
      [distribution.headacheNames, month.from, month.to],
    );
    const s = stats.rows[0];
    const pct = (n: string): string => `${((100 * Number(n)) / Number(s.total)).toFixed(1)} %`;
    console.log(
      `table: ${Number(s.total).toLocaleString('en')} rows; headache spellings ${pct(s.headache)}; ` +
        `deleted ${pct(s.deleted)}; unrated ${pct(s.unrated)}; live headache rows in the ` +
        `benchmark month: ${Number(s.month_headache).toLocaleString('en')}`,
    );
  } finally {
    await client.end();
  }
}

/** Creates (when missing) and fills (when stale) the benchmark diary; returns its URL. */
export async function prepareBenchDiary(
  serverUrl: string,
  refill: boolean,
  month: BenchMonth,
  distribution: Distribution = nameDistribution(),
): Promise<string> {
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${BENCH_DB}`;
  await ensureDatabase(serverUrl);
  await prepareTable(benchUrl.toString(), refill, month, distribution);
  return benchUrl.toString();
}
