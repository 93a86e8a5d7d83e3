import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commandLine,
  cpuMsOf,
  guardChildren,
  isRecord,
  loadLine,
  login,
  machineLine,
  percentile,
  sleep,
  startServer,
  stopServer,
  table,
  type RunningServer,
} from './bench/bench-support';
import { devDialogues, OWN_DIALOGUES, type BenchDialogue } from './bench/dialogues';

/**
 * `npm run bench:chat`: chat turns end to end on the real service (`node dist/src/main.js`) with its
 * embedded default: no DATABASE_URL, a fresh temporary DATA_DIR (so the demo diary is filled),
 * LOG_LEVEL=info with stdout to /dev/null.
 *
 * BENCH_USERS (default 10) simulated users, closed loop without think time: each starts a
 * conversation and sends a dialogue turn by turn (the shared dev dialogues and the dialogues
 * below), one request at a time, then starts a new conversation with the next dialogue. After a
 * BENCH_WARMUP-second warm-up (default 5), turns are measured for BENCH_DURATION seconds (default
 * 30): from the request being sent to the whole body received, over keep-alive connections
 * (Node's fetch). Every answer must be 200 with a `reply.text`.
 *
 * BENCH_SERVICE_NODE_ARGS: options for the service's node, e.g. '--cpu-prof --cpu-prof-dir=DIR'.
 *
 * Floor: chat turn p95 < 50 ms, with no errors. Exit 0 when it passes, 1 when it fails, 2 when
 * the benchmark itself could not run. The service and its temporary DATA_DIR are always removed.
 */

const FLOOR_P95_MS = 50;
/** The embedded default's demo account (DEMO_USER_EMAIL / DEMO_USER_PASSWORD defaults). */
const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'demo-password-123';
const READY_TIMEOUT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// The service and its temporary DATA_DIR: always removed.
// ---------------------------------------------------------------------------------------------

let dataDir: string | undefined;
let service: RunningServer | undefined;

/** The embedded PostgreSQL's postmaster, from its pid file, when it is still running. */
function livePostmaster(): number | undefined {
  if (dataDir === undefined) return undefined;
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    // The pid must still be that postgres (not a reused pid).
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Immediate shutdown of a postmaster the service left behind (it ends its own backends). */
function quitPostmasterNow(): void {
  const pid = livePostmaster();
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
  }
}

function removeDataDir(): void {
  if (dataDir !== undefined && existsSync(dataDir)) {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stops the service gracefully (it stops its embedded PostgreSQL), then removes DATA_DIR. */
async function cleanUp(): Promise<void> {
  if (service) await stopServer(service, 30_000);
  if (livePostmaster() !== undefined) {
    quitPostmasterNow();
    for (let i = 0; i < 50 && livePostmaster() !== undefined; i++) await sleep(100);
    const pid = livePostmaster();
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }
  removeDataDir();
  dataDir = undefined;
}

guardChildren({
  onSignal: cleanUp,
  onExit: () => {
    quitPostmasterNow();
    removeDataDir();
  },
});

/** CPU (ms) of the embedded PostgreSQL: the postmaster and its children, from /proc. */
function postgresCpuMs(): number | undefined {
  const postmaster = livePostmaster();
  if (postmaster === undefined) return undefined;
  let total = cpuMsOf(postmaster) ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuMsOf(Number(entry)) ?? 0;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Simulated users
// ---------------------------------------------------------------------------------------------

interface Run {
  base: string;
  /** The demo user's bearer token (the embedded default's first demo person). */
  authorization: string;
  dialogues: BenchDialogue[];
  /** Turns started at or after this instant (performance.now()) are measured… */
  measureFrom: number;
  /** …and none is started after this one. */
  stopAt: number;
  /** The default reference time of our own dialogues. */
  now: string;
}

interface Stats {
  turns: number[];
  byIntent: Map<string, number[]>;
  starts: number[];
  errors: Map<string, number>;
  errorCount: number;
  unexpectedIntents: number;
  checkedIntents: number;
}

function newStats(): Stats {
  return {
    turns: [],
    byIntent: new Map(),
    starts: [],
    errors: new Map(),
    errorCount: 0,
    unexpectedIntents: 0,
    checkedIntents: 0,
  };
}

function countError(stats: Stats, kind: string): void {
  stats.errorCount++;
  stats.errors.set(kind, (stats.errors.get(kind) ?? 0) + 1);
}

interface Timed {
  status: number;
  body: unknown;
  ms: number;
}

/** One POST, timed from sending the request to having the whole body. */
async function post(url: string, payload: unknown, authorization: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, ms };
}

function errorKind(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 80);
  return String(error).slice(0, 80);
}

/** A closed-loop user: one request at a time, no think time, until `run.stopAt`. */
async function user(index: number, run: Run, stats: Stats): Promise<void> {
  let next = index % run.dialogues.length;
  while (performance.now() < run.stopAt) {
    const dialogue = run.dialogues[next];
    next = (next + 1) % run.dialogues.length;
    let id: string;
    const startedAt = performance.now();
    try {
      const started = await post(
        `${run.base}/api/conversations`,
        { timezone: dialogue.timezone },
        run.authorization,
      );
      const created = isRecord(started.body) ? started.body.id : undefined;
      if (started.status !== 201 || typeof created !== 'string') {
        if (startedAt >= run.measureFrom) countError(stats, `start: HTTP ${started.status}`);
        await sleep(50);
        continue;
      }
      if (startedAt >= run.measureFrom) stats.starts.push(started.ms);
      id = created;
    } catch (error) {
      if (startedAt >= run.measureFrom) countError(stats, `start: ${errorKind(error)}`);
      await sleep(50);
      continue;
    }
    for (const turn of dialogue.turns) {
      const sentAt = performance.now();
      if (sentAt >= run.stopAt) return;
      const measured = sentAt >= run.measureFrom;
      try {
        const answer = await post(
          `${run.base}/api/conversations/${id}/messages`,
          {
            text: turn.text,
            referenceTime: dialogue.referenceTime ?? run.now,
            timezone: dialogue.timezone,
          },
          run.authorization,
        );
        const reply = isRecord(answer.body) ? answer.body.reply : undefined;
        const frame = isRecord(answer.body) ? answer.body.frame : undefined;
        const replyText = isRecord(reply) ? reply.text : undefined;
        const intent = isRecord(frame) && typeof frame.intent === 'string' ? frame.intent : '?';
        if (answer.status !== 200 || typeof replyText !== 'string' || replyText.length === 0) {
          if (measured) {
            countError(
              stats,
              answer.status !== 200 ? `turn: HTTP ${answer.status}` : 'turn: no reply.text',
            );
          }
          break; // a new conversation
        }
        if (!measured) continue;
        stats.turns.push(answer.ms);
        const forIntent = stats.byIntent.get(intent) ?? [];
        forIntent.push(answer.ms);
        stats.byIntent.set(intent, forIntent);
        if (turn.expectedIntent !== undefined) {
          stats.checkedIntents++;
          if (turn.expectedIntent !== intent) stats.unexpectedIntents++;
        }
      } catch (error) {
        if (measured) countError(stats, `turn: ${errorKind(error)}`);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function summarise(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
    mean: sorted.length === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

const ms = (n: number): string => n.toFixed(1);

function perTurn(cpuMs: number | undefined, turns: number): string {
  return cpuMs === undefined || turns === 0 ? 'n/a' : (cpuMs / turns).toFixed(2);
}

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be > 0`);
  return value;
}

async function main(): Promise<number> {
  const users = Math.round(positiveNumber('BENCH_USERS', 10));
  const seconds = positiveNumber('BENCH_DURATION', 30);
  const warmupSeconds = positiveNumber('BENCH_WARMUP', 5);
  const now = new Date();
  now.setUTCMilliseconds(0);
  const dialogues: BenchDialogue[] = [
    ...devDialogues(),
    ...OWN_DIALOGUES.map((d) => ({ ...d, referenceTime: undefined })),
  ];
  const turnCount = dialogues.reduce((n, d) => n + d.turns.length, 0);

  console.log('bench:chat');
  console.log(`  command: ${commandLine()}`);
  console.log(`  ${machineLine()}`);
  console.log(
    `  ${users} users, closed loop (one request at a time, no think time), warm-up ` +
      `${warmupSeconds} s, run ${seconds} s; ${dialogues.length} dialogues, ${turnCount} turns ` +
      `(own dialogues asked at ${now.toISOString()})`,
  );
  console.log('  note: the load driver, the service and its embedded PostgreSQL share the cores');
  console.log(`  ${loadLine()} before the run`);

  dataDir = mkdtempSync(join(tmpdir(), 'sd-bench-chat-'));
  const script = join(process.cwd(), 'dist', 'src', 'main.js');
  console.log(`\nstarting ${script} (embedded PostgreSQL in a fresh DATA_DIR ${dataDir})`);
  const bootStarted = performance.now();
  service = await startServer(
    'service',
    script,
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // All turns come from 127.0.0.1: the per-address limit would measure the limiter.
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    {
      readyTimeoutMs: READY_TIMEOUT_MS,
      // e.g. BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it.
      nodeArgs: (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== ''),
    },
  );
  console.log(
    `ready on port ${service.port} in ${((performance.now() - bootStarted) / 1000).toFixed(1)} s ` +
      '(initdb, demo diary filled)',
  );

  const stats = newStats();
  const started = performance.now();
  const base = `http://127.0.0.1:${service.port}`;
  const token = await login(base, { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  const run: Run = {
    base,
    authorization: `Bearer ${token}`,
    dialogues,
    measureFrom: started + warmupSeconds * 1000,
    stopAt: started + (warmupSeconds + seconds) * 1000,
    now: now.toISOString(),
  };
  console.log(`warm-up ${warmupSeconds} s, then measuring ${seconds} s`);
  const pid = service.child.pid;
  let before: { service?: number; postgres?: number; driver: NodeJS.CpuUsage } | undefined;
  const sampler = setTimeout(
    () => {
      before = {
        service: pid === undefined ? undefined : cpuMsOf(pid),
        postgres: postgresCpuMs(),
        driver: process.cpuUsage(),
      };
    },
    Math.max(0, run.measureFrom - performance.now()),
  );
  await Promise.all(Array.from({ length: users }, (_u, i) => user(i, run, stats)));
  clearTimeout(sampler);
  const elapsed = (performance.now() - run.measureFrom) / 1000;
  const serviceAfter = pid === undefined ? undefined : cpuMsOf(pid);
  const postgresAfter = postgresCpuMs();
  const driverCpu = before ? process.cpuUsage(before.driver) : undefined;
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    throw new Error(`the service died during the run: ${service.stderr.join('').slice(-2000)}`);
  }

  console.log(`${loadLine()} at the end of the run`);
  const all = summarise(stats.turns);
  const starts = summarise(stats.starts);
  console.log('\nChat turns (ms, request sent to whole body received):\n');
  console.log(
    table([
      ['', 'turns/s', 'count', 'mean', 'p50', 'p95', 'p99', 'max', 'errors'],
      [
        'chat turn',
        (all.count / elapsed).toFixed(1),
        String(all.count),
        ms(all.mean),
        ms(all.p50),
        ms(all.p95),
        ms(all.p99),
        ms(all.max),
        String(stats.errorCount),
      ],
      [
        'start conversation',
        (starts.count / elapsed).toFixed(1),
        String(starts.count),
        ms(starts.mean),
        ms(starts.p50),
        ms(starts.p95),
        ms(starts.p99),
        ms(starts.max),
        '',
      ],
    ]),
  );
  for (const [kind, n] of [...stats.errors].sort((a, b) => b[1] - a[1])) {
    console.log(`  error ${kind}: ${n}`);
  }

  console.log('\nPer intent (frame.intent of the answer), ms:\n');
  const intents = [...stats.byIntent]
    .map(([intent, values]) => ({ intent, s: summarise(values) }))
    .sort((a, b) => b.s.p95 - a.s.p95);
  console.log(
    table([
      ['intent', 'turns', 'mean', 'p50', 'p95', 'max'],
      ...intents.map(({ intent, s }) => [
        intent,
        String(s.count),
        ms(s.mean),
        ms(s.p50),
        ms(s.p95),
        ms(s.max),
      ]),
    ]),
  );
  if (stats.checkedIntents > 0) {
    console.log(
      `\n(dev dialogue turns answered with another intent than the dev set expects: ` +
        `${stats.unexpectedIntents} of ${stats.checkedIntents})`,
    );
  }

  const serviceCpu =
    before?.service !== undefined && serviceAfter !== undefined
      ? serviceAfter - before.service
      : undefined;
  const postgresCpu =
    before?.postgres !== undefined && postgresAfter !== undefined
      ? postgresAfter - before.postgres
      : undefined;
  console.log(
    `\nCPU per turn (ms, measured run): service ${perTurn(serviceCpu, all.count)}, ` +
      `embedded PostgreSQL ${perTurn(postgresCpu, all.count)}, load driver ` +
      `${perTurn(driverCpu ? (driverCpu.user + driverCpu.system) / 1000 : undefined, all.count)}`,
  );

  const p95Ok = all.count > 0 && all.p95 < FLOOR_P95_MS;
  const clean = stats.errorCount === 0;
  console.log('\nFloors:');
  console.log(
    `  chat turn p95 < ${FLOOR_P95_MS} ms: ${p95Ok ? 'PASS' : 'FAIL'} (p95 ${ms(all.p95)} ms)`,
  );
  console.log(`  errors: ${clean ? 'PASS' : 'FAIL'} (${stats.errorCount})`);
  return p95Ok && clean ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanUp();
    console.log('\nservice stopped, temporary DATA_DIR removed');
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`bench:chat failed: ${error instanceof Error ? error.message : String(error)}`);
    await cleanUp().catch(() => undefined);
    process.exit(2);
  });
