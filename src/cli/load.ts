import { availableParallelism } from 'node:os';
import { Agent, request } from 'undici';
import {
  commandLine,
  guardChildren,
  isRecord,
  killAllNow,
  loadLine,
  machineLine,
  sleep,
} from './bench/bench-support';
import { devDialogues, OWN_DIALOGUES, type BenchDialogue } from './bench/dialogues';
import {
  createLoadAccounts,
  LOAD_JWT_SECRET,
  LOAD_PASSWORD,
  LOAD_ZONE,
  prepareLoadDiary,
} from './load/load-diary';
import {
  bottleneck,
  kindsTable,
  processTable,
  stagesTable,
  summariseStage,
  type StageResult,
} from './load/load-report';
import { composeApiNodeOptions, startLoadTopology, type LoadTopology } from './load/load-topology';
import { pidsByName, processTree, ProcessSampler } from './load/process-sampler';
import { sourceAddress, VirtualUser, type Sample } from './load/virtual-users';

/**
 * `npm run load`: the whole stack as deployed, natively (no Docker here): nginx with TLS in front
 * of two API instances sharing Redis, on the machine's PostgreSQL with a household-sized demo
 * diary. Simulated people (each its own client address, TLS connection and think time) use the
 * app: open it, chat with follow-ups, list entries, read statistics, parse questions. Stages:
 * 100 users, 500 users, then a 10x spike from 100 to 1,000 and back.
 *
 * Reports per stage: throughput, p50/p95/p99, error rate, the response cache's hit rate (from the
 * instances' own counters), CPU and memory of every process, and the bottleneck.
 *
 * LOAD_PROFILE=full (default) or short (the CI variant: shorter stages). LOAD_THINK_MS=min-max
 * (default 1000-3000). LOAD_DATABASE_URL (default the local PostgreSQL), REDIS_URL (default the
 * local Redis). Floors (full profile): at 100 users p95 < 200 ms and errors < 0.1 %; cache hit
 * rate > 85 %; every API instance under 256 MB resident. The short profile checks errors and
 * memory and reports latency without failing on it (CI shares its cores with other work).
 * Exit 0 when the floors hold, 1 when one fails, 2 when the run itself could not happen.
 */

interface Stage {
  name: string;
  users: number;
  seconds: number;
  measured: boolean;
}

const PROFILES: Record<string, Stage[]> = {
  full: [
    { name: 'warm-up', users: 100, seconds: 15, measured: false },
    { name: '100 users', users: 100, seconds: 60, measured: true },
    { name: '500 users', users: 500, seconds: 60, measured: true },
    { name: 'baseline', users: 100, seconds: 20, measured: true },
    { name: 'spike 10x', users: 1000, seconds: 30, measured: true },
    { name: 'after spike', users: 100, seconds: 30, measured: true },
  ],
  short: [
    { name: 'warm-up', users: 100, seconds: 5, measured: false },
    { name: '100 users', users: 100, seconds: 20, measured: true },
    { name: '500 users', users: 500, seconds: 15, measured: true },
    { name: 'spike 10x', users: 1000, seconds: 10, measured: true },
    { name: 'after spike', users: 100, seconds: 10, measured: true },
  ],
};

const FLOORS = { p95Ms: 200, errorRate: 0.001, cacheHitRate: 0.85, apiRssBytes: 256 * 1024 * 1024 };
const TIMEOUT_MS = 10_000;

function thinkTime(): [number, number] {
  const value = process.env.LOAD_THINK_MS ?? '1000-3000';
  const match = /^(\d+)-(\d+)$/.exec(value);
  if (!match || Number(match[1]) > Number(match[2])) {
    throw new Error('LOAD_THINK_MS must be min-max in ms, e.g. 1000-3000');
  }
  return [Number(match[1]), Number(match[2])];
}

function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
}

async function json(
  url: string,
  dispatcher: Agent,
  init: { method?: 'GET' | 'POST'; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    dispatcher,
    headers: {
      accept: 'application/json',
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  const text = await response.body.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.statusCode, body };
}

/** The response cache's counters of one instance, from its readiness details. */
interface CacheCounts {
  hits: number;
  reads: number;
  /** By kind of read (entries, stats, people): [hits, reads]. */
  byKind: Record<string, [number, number]>;
}

async function cacheCounters(port: number): Promise<CacheCounts> {
  const agent = new Agent();
  try {
    const { body } = await json(`http://127.0.0.1:${port}/health/ready`, agent);
    let hits = 0;
    let reads = 0;
    const byKind: Record<string, [number, number]> = {};
    const visit = (value: unknown): void => {
      if (!isRecord(value)) return;
      if (isRecord(value.byKind)) {
        for (const [kind, counts] of Object.entries(value.byKind)) {
          if (!isRecord(counts)) continue;
          const tally = (byKind[kind] ??= [0, 0]);
          for (const [outcome, n] of Object.entries(counts)) {
            if (typeof n !== 'number') continue;
            reads += n;
            tally[1] += n;
            if (outcome !== 'miss') {
              hits += n;
              tally[0] += n;
            }
          }
        }
        return;
      }
      for (const child of Object.values(value)) visit(child);
    };
    visit(isRecord(body) ? (body.details ?? body.info ?? body) : undefined);
    return { hits, reads, byKind };
  } finally {
    await agent.close();
  }
}

async function cacheTotals(topology: LoadTopology): Promise<CacheCounts> {
  const all = await Promise.all(topology.apis.map((api) => cacheCounters(api.port)));
  const total: CacheCounts = { hits: 0, reads: 0, byKind: {} };
  for (const counts of all) {
    total.hits += counts.hits;
    total.reads += counts.reads;
    for (const [kind, [h, r]] of Object.entries(counts.byKind)) {
      const tally = (total.byKind[kind] ??= [0, 0]);
      tally[0] += h;
      tally[1] += r;
    }
  }
  return total;
}

/** "entries 80.1 % of 900, stats …" between two snapshots. */
function hitsByKind(before: CacheCounts, after: CacheCounts): string {
  return Object.entries(after.byKind)
    .map(([kind, [h, r]]) => {
      const [h0, r0] = before.byKind[kind] ?? [0, 0];
      const reads = r - r0;
      return `${kind} ${reads > 0 ? (((h - h0) / reads) * 100).toFixed(1) : '-'} % of ${reads}`;
    })
    .join(', ');
}

async function main(): Promise<number> {
  const profileName = process.env.LOAD_PROFILE ?? 'full';
  const stages = PROFILES[profileName];
  if (stages === undefined) throw new Error('LOAD_PROFILE must be full or short');
  const think = thinkTime();
  const serverUrl = process.env.LOAD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  console.log('load');
  console.log(`  command: ${commandLine()}`);
  console.log(`  ${machineLine()}`);
  console.log(`  ${loadLine()}`);
  console.log(
    `  profile ${profileName}: ${stages.map((s) => `${s.name} (${s.users} users, ${s.seconds} s)`).join(', ')}`,
  );
  console.log(
    `  think time ${think[0]}-${think[1]} ms per user between requests; each user its own client ` +
      `address (127.1.x.y) and TLS connection; nginx in front of 2 API instances, Redis shared`,
  );

  console.log(
    `  instances: NODE_OPTIONS '${composeApiNodeOptions()}' (docker/compose.yml), LOG_LEVEL=info`,
  );
  const databaseUrl = await prepareLoadDiary(serverUrl);
  const accounts = createLoadAccounts(databaseUrl);
  console.log(
    `  diary: the demo diary (${accounts.length} people) in ${new URL(databaseUrl).pathname.slice(1)}`,
  );

  const topology = await startLoadTopology({
    databaseUrl,
    redisUrl,
    env: {
      JWT_SECRET: LOAD_JWT_SECRET,
      JWT_TTL_SECONDS: '3600',
      DIARY_TIMEZONE: LOAD_ZONE,
      LOG_LEVEL: 'info',
    },
  });
  guardChildren({ onSignal: () => topology.stop() });
  try {
    return await run(topology, stages, think, accounts, profileName);
  } finally {
    await topology.stop();
  }
}

async function run(
  topology: LoadTopology,
  stages: Stage[],
  think: [number, number],
  accounts: ReturnType<typeof createLoadAccounts>,
  profileName: string,
): Promise<number> {
  const setupAgent = new Agent({ connect: { ca: topology.ca } });
  const tokens: string[] = [];
  for (const account of accounts) {
    const { status, body } = await json(`${topology.baseUrl}/api/auth/login`, setupAgent, {
      method: 'POST',
      body: { email: account.email, password: LOAD_PASSWORD },
    });
    if (status !== 200 || !isRecord(body) || typeof body.accessToken !== 'string') {
      throw new Error(`login of ${account.person}'s account through nginx failed: HTTP ${status}`);
    }
    tokens.push(body.accessToken);
  }
  // Each account's own catalog: its person's symptoms, most logged first.
  const symptoms: string[][] = [];
  for (const token of tokens) {
    const catalog = await json(`${topology.baseUrl}/api/health/symptoms/catalog`, setupAgent, {
      token,
    });
    const entries =
      isRecord(catalog.body) && Array.isArray(catalog.body.data) ? catalog.body.data : [];
    const ids = entries
      .filter(isRecord)
      .filter((c) => typeof c.id === 'string' && Number(c.entryCount) > 0)
      .sort((a, b) => Number(b.entryCount) - Number(a.entryCount))
      .map((c) => c.id as string);
    if (ids.length === 0) throw new Error('a catalog answered no symptoms with entries');
    symptoms.push(ids);
  }
  await setupAgent.close();

  const dialogues: BenchDialogue[] = [
    ...OWN_DIALOGUES.map((d) => ({ ...d, referenceTime: undefined })),
    ...devDialogues(),
  ];
  let samples: Sample[] = [];
  const options = {
    baseUrl: topology.baseUrl,
    ca: topology.ca,
    tokens,
    dialogues,
    symptoms,
    thinkMs: think,
    timeoutMs: TIMEOUT_MS,
    today: todayIn(LOAD_ZONE),
    record: (sample: Sample) => samples.push(sample),
  };

  const sampler = new ProcessSampler([
    ...topology.apis.map((api, i) => ({ name: `api-${i + 1}`, pids: () => [api.pid] })),
    { name: 'nginx (master + workers)', pids: () => processTree(topology.nginxPid) },
    { name: 'postgresql (all backends)', pids: () => pidsByName('postgres') },
    { name: 'redis-server', pids: () => pidsByName('redis-server') },
    { name: 'load generator', pids: () => [process.pid] },
  ]);
  sampler.start();

  let target = 0;
  const running: Promise<void>[] = [];
  const users: VirtualUser[] = [];
  const results: StageResult[] = [];
  const apiPeakRss = new Map<string, number>();
  for (const stage of stages) {
    target = stage.users;
    for (let i = users.length; i < stage.users; i++) {
      const user = new VirtualUser(i, options);
      users.push(user);
      running.push(user.run(() => user.index < target));
    }
    sampler.mark();
    const cacheBefore = await cacheTotals(topology);
    samples = [];
    const startedAt = performance.now();
    await sleep(stage.seconds * 1000);
    const seconds = (performance.now() - startedAt) / 1000;
    const stageSamples = samples;
    const cacheAfter = await cacheTotals(topology);
    const processes = sampler.mark();
    for (const p of processes.filter((p) => p.name.startsWith('api-'))) {
      apiPeakRss.set(p.name, Math.max(apiPeakRss.get(p.name) ?? 0, p.peakRssBytes));
    }
    // Users beyond the next stage's count stop after their current request.
    users.splice(stages[stages.indexOf(stage) + 1]?.users ?? 0);
    if (!stage.measured) {
      console.log(`\n[${stage.name}] ${stageSamples.length} requests (not measured)`);
      continue;
    }
    const result = summariseStage(
      stage.name,
      stage.users,
      seconds,
      stageSamples,
      { hits: cacheAfter.hits - cacheBefore.hits, reads: cacheAfter.reads - cacheBefore.reads },
      processes,
    );
    results.push(result);
    console.log(
      `\n[${stage.name}] ${result.requests} requests, ${result.throughput.toFixed(0)}/s, p95 ${result.p95.toFixed(1)} ms, errors ${result.errors}`,
    );
    console.log(`  cache hits by kind of read: ${hitsByKind(cacheBefore, cacheAfter)}`);
  }
  target = 0;
  await Promise.all(running);
  sampler.stop();

  const cores = availableParallelism();
  console.log(
    '\nResults (latency per request, from sending it to the whole body, through nginx and TLS):\n',
  );
  console.log(stagesTable(results));
  for (const result of results) {
    console.log(`\n${result.name}: requests by kind`);
    console.log(kindsTable(result));
    if (result.errorKinds.size > 0) {
      console.log(`  errors: ${[...result.errorKinds].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    }
    console.log(`\n${result.name}: processes`);
    console.log(processTable(result));
    console.log(`  bottleneck: ${bottleneck(result, cores)}`);
  }

  const at100 = results.find((r) => r.name === '100 users');
  const cacheHits = results.reduce((sum, r) => sum + (r.cacheHitRate ?? 0) * r.cacheReads, 0);
  const cacheReads = results.reduce((sum, r) => sum + r.cacheReads, 0);
  const hitRate = cacheReads > 0 ? cacheHits / cacheReads : 0;
  const full = profileName === 'full';
  const checks: { name: string; ok: boolean; enforced: boolean }[] = [
    {
      name: `p95 at 100 users < ${FLOORS.p95Ms} ms (${at100?.p95.toFixed(1)} ms)`,
      ok: at100 !== undefined && at100.p95 < FLOORS.p95Ms,
      enforced: full,
    },
    {
      name: `errors at 100 users < 0.1 % (${((at100?.errorRate ?? 1) * 100).toFixed(3)} %)`,
      ok: at100 !== undefined && at100.errorRate < FLOORS.errorRate,
      enforced: true,
    },
    {
      name: `cache hit rate > 85 % (${(hitRate * 100).toFixed(1)} % of ${cacheReads} diary reads)`,
      ok: hitRate > FLOORS.cacheHitRate,
      enforced: full,
    },
    ...[...apiPeakRss].map(([name, rss]) => ({
      name: `${name} resident memory < 256 MB (peak ${(rss / 1024 / 1024).toFixed(0)} MB)`,
      ok: rss < FLOORS.apiRssBytes,
      enforced: true,
    })),
  ];
  console.log('\nFloors:');
  for (const check of checks) {
    console.log(
      `  ${check.ok ? 'PASS' : check.enforced ? 'FAIL' : 'miss (not enforced in the short profile)'}: ${check.name}`,
    );
  }
  console.log(`  ${loadLine()}`);
  console.log(
    `  client addresses used: ${sourceAddress(0)} … ${sourceAddress(Math.max(...stages.map((s) => s.users)) - 1)}`,
  );
  return checks.every((c) => c.ok || !c.enforced) ? 0 : 1;
}

main()
  .then((code) => {
    killAllNow();
    process.exit(code);
  })
  .catch((error: unknown) => {
    console.error(`load failed: ${error instanceof Error ? error.message : String(error)}`);
    killAllNow();
    process.exit(2);
  });
