import autocannon from 'autocannon';
import { join } from 'node:path';
import { Client } from 'pg';
import { diaryTableDdl, recommendedIndexDdl } from '../infrastructure/database/diary-schema';
import { SymptomVocabulary } from '../modules/symptoms/domain/symptom-vocabulary';
import {
  DEMO_PEOPLE,
  DEMO_SPELLINGS,
} from '../modules/symptoms/infrastructure/demo/demo-diary.generator';
import {
  commandLine,
  cpuMsOf,
  guardChildren,
  killAllNow,
  isRecord,
  machineLine,
  percentile,
  startServer,
  stopServer,
  table,
} from './bench/bench-support';

/**
 * `npm run bench:symptoms`: fills a 1,000,000-row `symptom_log` in the `sd_bench` database, then
 * loads `GET /api/health/symptoms?symptom=headache&from=…&to=…` on the real service
 * (`node dist/src/main.js`) and on a bare Fastify + pg floor (dist/src/cli/bench/bare-symptoms-server.js),
 * one after the other, and checks two floors: p95 < 50 ms and throughput >= 60 % of bare.
 *
 * Options: --refill (rebuild the table). Env: BENCH_DATABASE_URL (the server; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_DURATION (seconds, default 20),
 * BENCH_MONTH (YYYY-MM, default 2026-02). Exit 0 when both floors pass, 1 when one fails,
 * 2 when the benchmark itself could not run. Prints counts only, never diary content.
 */

const GENERATOR_VERSION = 'sd_bench symptom_log generator v1';
const ROWS = 1_000_000;
const BENCH_DB = 'sd_bench';
const ZONE = 'Europe/Berlin';
const POOL_SIZE = 10;
const CONNECTIONS = 50;
const WARMUP_SECONDS = 5;
const SLOTS = 10_000;
const HEADACHE_SHARE = 0.05;
const FLOOR_P95_MS = 50;
const FLOOR_RATIO = 0.6;

// ---------------------------------------------------------------------------------------------
// Child processes (bench/bench-support): always killed, whatever happens to us.
// ---------------------------------------------------------------------------------------------

guardChildren();

// ---------------------------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------------------------

interface Distribution {
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
function nameDistribution(): Distribution {
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

async function ensureDatabase(serverUrl: string): Promise<void> {
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
  // Sets hint bits and the visibility map and gathers statistics, so that autovacuum does not
  // wake up in the middle of a measurement.
  await client.query('VACUUM (ANALYZE) public.symptom_log');
}

async function prepareTable(
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

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

interface BenchMonth {
  from: string;
  to: string;
}

interface Verified {
  total: number;
  entries: number;
  ms: number;
}

async function verify(url: string, label: string): Promise<Verified> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body: unknown = await response.json();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} on ${url}`);
  const data = isRecord(body) ? body.data : undefined;
  const meta = isRecord(body) ? body.meta : undefined;
  const total = isRecord(meta) ? meta.total : undefined;
  if (!Array.isArray(data) || data.length !== 20 || typeof total !== 'number' || total <= 0) {
    throw new Error(
      `${label}: expected 20 entries and meta.total > 0, got ${Array.isArray(data) ? data.length : 'no'} entries, total ${String(total)}`,
    );
  }
  return { total, entries: data.length, ms };
}

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  driverCpuMs: number;
}

async function load(url: string, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, pipelining: 1, duration: seconds, timeout: 10 },
      (error: unknown, done: autocannon.Result) =>
        error
          ? reject(error instanceof Error ? error : new Error('autocannon failed'))
          : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    requests: latencies.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    driverCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function postgresBackendPids(benchUrl: string): Promise<number[]> {
  const client = new Client({ connectionString: benchUrl });
  await client.connect();
  try {
    const rows = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
         AND backend_type = 'client backend'`,
      [BENCH_DB],
    );
    return rows.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

function sumCpu(pids: number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMsOf(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

interface Measurement extends LoadResult {
  label: string;
  verified: Verified;
  serverCpuMs?: number;
  postgresCpuMs?: number;
}

async function measure(
  label: string,
  script: string,
  env: Record<string, string>,
  path: string,
  seconds: number,
  benchUrl: string,
): Promise<Measurement> {
  console.log(`\n[${label}] starting ${script}`);
  const server = await startServer(label, script, { DB_POOL_SIZE: String(POOL_SIZE), ...env });
  try {
    const url = `http://127.0.0.1:${server.port}${path}`;
    const verified = await verify(url, label);
    console.log(
      `[${label}] ready on port ${server.port}; first request ${verified.ms.toFixed(0)} ms, ` +
        `${verified.entries} entries, meta.total ${verified.total}`,
    );
    console.log(`[${label}] warm-up ${WARMUP_SECONDS} s`);
    const warm = await load(url, WARMUP_SECONDS);
    if (warm.non2xx > 0 || warm.errors > 0) {
      console.log(`[${label}] warm-up: ${warm.errors} errors, ${warm.non2xx} non-2xx`);
    }
    const pids = await postgresBackendPids(benchUrl);
    const pid = server.child.pid;
    const serverBefore = pid === undefined ? undefined : cpuMsOf(pid);
    const pgBefore = sumCpu(pids);
    console.log(`[${label}] measuring ${seconds} s, ${CONNECTIONS} connections`);
    const result = await load(url, seconds);
    const serverAfter = pid === undefined ? undefined : cpuMsOf(pid);
    const pgAfter = sumCpu(pids);
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${label} died during the run: ${server.stderr.join('').slice(-2000)}`);
    }
    return {
      label,
      verified,
      ...result,
      serverCpuMs:
        serverBefore !== undefined && serverAfter !== undefined
          ? serverAfter - serverBefore
          : undefined,
      postgresCpuMs:
        pgBefore !== undefined && pgAfter !== undefined ? pgAfter - pgBefore : undefined,
    };
  } finally {
    await stopServer(server);
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const ms = (n: number): string => n.toFixed(1);

function perRequest(cpuMs: number | undefined, requests: number): string {
  return cpuMs === undefined || requests === 0 ? 'n/a' : (cpuMs / requests).toFixed(2);
}

function report(results: Measurement[]): boolean {
  console.log('\nResults (latency measured per response by the driver; name index cached):\n');
  console.log(
    table([
      ['server', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'non-2xx', 'requests'],
      ...results.map((r) => [
        r.label,
        r.requestsPerSecond.toFixed(1),
        ms(r.p50),
        ms(r.p95),
        ms(r.p99),
        ms(r.max),
        String(r.errors),
        String(r.non2xx),
        String(r.requests),
      ]),
    ]),
  );
  console.log('\nCPU per request (ms), over the measured run:\n');
  console.log(
    table([
      ['server', 'server process', 'postgres backends', 'load driver'],
      ...results.map((r) => [
        r.label,
        perRequest(r.serverCpuMs, r.requests),
        perRequest(r.postgresCpuMs, r.requests),
        perRequest(r.driverCpuMs, r.requests),
      ]),
    ]),
  );
  const [service, bare] = results;
  const ratio = service.requestsPerSecond / bare.requestsPerSecond;
  const p95Ok = service.p95 < FLOOR_P95_MS;
  const ratioOk = ratio >= FLOOR_RATIO;
  const clean = service.errors === 0 && service.non2xx === 0;
  console.log(
    `\nthroughput service/bare: ${ratio.toFixed(2)} (${(ratio * 100).toFixed(0)} % of bare)`,
  );
  console.log('\nFloors (service):');
  console.log(`  p95 < ${FLOOR_P95_MS} ms: ${p95Ok ? 'PASS' : 'FAIL'} (p95 ${ms(service.p95)} ms)`);
  console.log(
    `  throughput >= ${FLOOR_RATIO * 100} % of bare: ${ratioOk ? 'PASS' : 'FAIL'} ` +
      `(${(ratio * 100).toFixed(0)} %)`,
  );
  if (!clean) {
    console.log(
      `  errors/non-2xx: FAIL (${service.errors} errors, ${service.non2xx} non-2xx responses)`,
    );
  }
  return p95Ok && ratioOk && clean;
}

// ---------------------------------------------------------------------------------------------

function benchMonth(): BenchMonth {
  const value = process.env.BENCH_MONTH ?? '2026-02';
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) throw new Error('BENCH_MONTH must be YYYY-MM');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: `${value}-01`, to: `${next}-01` };
}

async function main(): Promise<number> {
  const started = performance.now();
  const refill = process.argv.includes('--refill');
  const seconds = Number(process.env.BENCH_DURATION ?? 20);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_DURATION must be > 0');
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const benchUrlObject = new URL(serverUrl);
  benchUrlObject.pathname = `/${BENCH_DB}`;
  const benchUrl = benchUrlObject.toString();
  const month = benchMonth();
  const path = `/api/health/symptoms?symptom=headache&from=${month.from}&to=${month.to}`;

  console.log('bench:symptoms');
  console.log(`  command: ${commandLine()}`);
  console.log(`  ${machineLine()}`);
  console.log(`  database ${benchUrlObject.host}/${BENCH_DB}; diary zone ${ZONE}`);
  console.log(
    `  GET ${path}; ${CONNECTIONS} connections, warm-up ${WARMUP_SECONDS} s, run ${seconds} s; ` +
      `pool ${POOL_SIZE} in both servers; same URL throughout (the service's name index is ` +
      `cached for its TTL, the bare server's is built once at startup)`,
  );
  console.log('  note: the load driver, both servers and PostgreSQL share this machine’s cores');

  const distribution = nameDistribution();
  const vocabulary = SymptomVocabulary.standard();
  const mapped = distribution.headacheNames.filter(
    (name) => vocabulary.normalise(name)?.conceptId === 'headache',
  ).length;
  console.log(
    `  ${distribution.names.length} distinct spellings; the vocabulary maps ${mapped} of the ` +
      `${distribution.headacheNames.length} headache spellings to headache`,
  );

  await ensureDatabase(serverUrl);
  await prepareTable(benchUrl, refill, month, distribution);

  const dist = join(process.cwd(), 'dist', 'src');
  const results: Measurement[] = [];
  results.push(
    await measure(
      'service (Nest)',
      join(dist, 'main.js'),
      {
        NODE_ENV: 'production',
        DATABASE_URL: benchUrl,
        DIARY_TIMEZONE: ZONE,
        LOG_LEVEL: 'info',
      },
      path,
      seconds,
      benchUrl,
    ),
  );
  results.push(
    await measure(
      'bare (Fastify+pg)',
      join(dist, 'cli', 'bench', 'bare-symptoms-server.js'),
      { DATABASE_URL: benchUrl, DIARY_TIMEZONE: ZONE },
      path,
      seconds,
      benchUrl,
    ),
  );
  const [service, bare] = results;
  if (service.verified.total !== bare.verified.total) {
    throw new Error(
      `the servers disagree: meta.total ${service.verified.total} (service) vs ` +
        `${bare.verified.total} (bare)`,
    );
  }
  console.log(`\nboth servers answer meta.total ${service.verified.total}`);
  const passed = report(results);
  console.log(`\ntotal time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return passed ? 0 : 1;
}

main()
  .then((code) => {
    killAllNow();
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error(
      `bench:symptoms failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    killAllNow();
    process.exit(2);
  });
