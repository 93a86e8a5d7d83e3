import autocannon from 'autocannon';
import { join } from 'node:path';
import { Client } from 'pg';
import { SymptomVocabulary } from '../modules/symptoms/domain/symptom-vocabulary';
import {
  BENCH_DB,
  benchMonth,
  ensureDatabase,
  nameDistribution,
  prepareTable,
  ZONE,
} from './bench/bench-diary';
import {
  BENCH_JWT_SECRET,
  commandLine,
  cpuMsOf,
  ensureBenchAdmin,
  login,
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

const POOL_SIZE = 10;
const CONNECTIONS = 50;
const WARMUP_SECONDS = 5;
const FLOOR_P95_MS = 50;
const FLOOR_RATIO = 0.6;

// ---------------------------------------------------------------------------------------------
// Child processes (bench/bench-support): always killed, whatever happens to us.
// ---------------------------------------------------------------------------------------------

guardChildren();

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

interface Verified {
  total: number;
  entries: number;
  ms: number;
}

async function verify(
  url: string,
  label: string,
  headers: Record<string, string>,
): Promise<Verified> {
  const started = performance.now();
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
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

async function load(
  url: string,
  seconds: number,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, headers, connections: CONNECTIONS, pipelining: 1, duration: seconds, timeout: 10 },
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
    // The service wants a bearer token (the benchmark admin: every person's entries); the bare
    // floor has no authentication at all, so the comparison includes its cost.
    const headers: Record<string, string> = env.JWT_SECRET
      ? { authorization: `Bearer ${await login(`http://127.0.0.1:${server.port}`)}` }
      : {};
    const verified = await verify(url, label, headers);
    console.log(
      `[${label}] ready on port ${server.port}; first request ${verified.ms.toFixed(0)} ms, ` +
        `${verified.entries} entries, meta.total ${verified.total}`,
    );
    console.log(`[${label}] warm-up ${WARMUP_SECONDS} s`);
    const warm = await load(url, WARMUP_SECONDS, headers);
    if (warm.non2xx > 0 || warm.errors > 0) {
      console.log(`[${label}] warm-up: ${warm.errors} errors, ${warm.non2xx} non-2xx`);
    }
    const pids = await postgresBackendPids(benchUrl);
    const pid = server.child.pid;
    const serverBefore = pid === undefined ? undefined : cpuMsOf(pid);
    const pgBefore = sumCpu(pids);
    console.log(`[${label}] measuring ${seconds} s, ${CONNECTIONS} connections`);
    const result = await load(url, seconds, headers);
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
  // The app's own tables (users) go to schema app of the benchmark database.
  const serviceAuth = {
    JWT_SECRET: BENCH_JWT_SECRET,
    JWT_TTL_SECONDS: '86400',
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  ensureBenchAdmin({ DATABASE_URL: benchUrl, DIARY_TIMEZONE: ZONE });
  const results: Measurement[] = [];
  results.push(
    await measure(
      'service (Nest)',
      join(dist, 'main.js'),
      {
        ...serviceAuth,
        NODE_ENV: 'production',
        DATABASE_URL: benchUrl,
        DIARY_TIMEZONE: ZONE,
        LOG_LEVEL: 'info',
        // The comparison with the bare handler is of the query path: the response cache (on by
        // default) would answer this one repeated URL from memory. It is measured on its own
        // below, and by bench:bridge.
        CACHE_ENABLED: 'false',
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
  if (process.env.BENCH_WITH_CACHE !== 'false') {
    results.push(
      await measure(
        'service, cache on',
        join(dist, 'main.js'),
        {
          ...serviceAuth,
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
  }
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
