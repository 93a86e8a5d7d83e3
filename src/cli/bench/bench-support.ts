import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/**
 * What the benchmark drivers (`npm run bench:*`) share: child servers that are always killed,
 * a free port, waiting for /health/ready, percentiles, a plain-text table and the machine line.
 */

// ---------------------------------------------------------------------------------------------
// Child processes: always killed, whatever happens to us.
// ---------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

export function killAllNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export interface GuardOptions {
  /**
   * Runs once on the first SIGINT/SIGTERM/SIGHUP before the children are killed and the process
   * exits 130 (a graceful stop and clean-up); a second signal does not wait for it.
   */
  onSignal?: () => Promise<void>;
  /** Runs, synchronously, when the process exits (after the children are killed). */
  onExit?: () => void;
}

/** Kills every child started by `startServer` on exit and on SIGINT/SIGTERM/SIGHUP. */
export function guardChildren(options: GuardOptions = {}): void {
  process.on('exit', () => {
    killAllNow();
    options.onExit?.();
  });
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const first = !signalled;
      signalled = true;
      if (first) console.error(`\n${signal}: stopping the servers`);
      if (!first || options.onSignal === undefined) {
        killAllNow();
        process.exit(130);
      }
      void options
        .onSignal()
        .catch(() => undefined)
        .finally(() => {
          killAllNow();
          process.exit(130);
        });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

export interface RunningServer {
  label: string;
  child: ChildProcess;
  port: number;
  stderr: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface StartOptions {
  /** How long to wait for GET /health/ready to answer 200 (default 60 s). */
  readyTimeoutMs?: number;
  /** Options for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The variable that tells the server its port (default PORT; the bridge: BRIDGE_PORT). */
  portVariable?: string;
  /** Whether the server on `port` is ready (default: GET http://127.0.0.1:port/health/ready is 200). */
  isReady?: (port: number) => Promise<boolean>;
}

async function httpReady(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
    signal: AbortSignal.timeout(2000),
  });
  await response.arrayBuffer();
  return response.status === 200;
}

/**
 * Starts `node <script>` on 127.0.0.1 and a free port, with only PATH, HOME, HOST, PORT (or
 * `portVariable`) and `env` in its environment, stdout to /dev/null (the logs are still produced:
 * their cost is part of the run) and stderr kept for a startup failure; resolves once it is ready
 * (by default when /health/ready answers 200).
 */
export async function startServer(
  label: string,
  script: string,
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<RunningServer> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run nest build first`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      [options.portVariable ?? 'PORT']: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const server: RunningServer = { label, child, port, stderr: [] };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    server.stderr.push(chunk);
    if (server.stderr.length > 50) server.stderr.shift();
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${label} exited during startup (${child.exitCode ?? child.signalCode}): ` +
          server.stderr.join('').trim().slice(-2000),
      );
    }
    try {
      if (await (options.isReady ?? httpReady)(port)) return server;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stopServer(server);
  throw new Error(`${label} was not ready within ${Math.round(readyTimeoutMs / 1000)} s`);
}

/** SIGTERM, then SIGKILL after `graceMs` (default 10 s). */
export async function stopServer(server: RunningServer, graceMs = 10_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** CPU time (ms) of a process so far, from /proc (Linux); undefined elsewhere. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after "(comm) state".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures and report
// ---------------------------------------------------------------------------------------------

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Rows of cells; the first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_c, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))))
    .map((r) => r.join('  '))
    .join('\n');
}

/** The command line, quoted where needed. */
export function commandLine(): string {
  return process.argv.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ');
}

/** "node v24…; CPU …; n cores available (m listed)". */
export function machineLine(): string {
  const cpuList = cpus();
  return (
    `node ${process.version}; CPU ${cpuList[0]?.model ?? 'unknown'}; ` +
    `${availableParallelism()} cores available (${cpuList.length} listed)`
  );
}

/**
 * "load average 1.2 / 0.9 / 0.7 (1, 5, 15 min)": other work on the machine shares its cores and
 * shows in every latency figure.
 */
export function loadLine(): string {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2));
  return `load average ${one} / ${five} / ${fifteen} (1, 5, 15 min)`;
}

// ---------------------------------------------------------------------------------------------
// Authentication: every diary and chat endpoint needs a bearer token
// ---------------------------------------------------------------------------------------------

/** The benchmarks' own account and signing key: for benchmark databases only. */
export const BENCH_ADMIN = {
  email: 'bench-admin@example.com',
  password: 'bench-password-2026-not-secret',
} as const;
export const BENCH_JWT_SECRET = 'bench-jwt-secret-for-benchmark-databases-only-0123456789';

/**
 * Creates an account with `npm run user:create` (compiled) in the app database the given
 * environment points at; `args` are its options (`--email`, `--role`, `--person`). Answers
 * false when the account exists already, throws on any other failure.
 */
export function createAccount(
  args: string[],
  password: string,
  env: Record<string, string>,
): boolean {
  const script = join(process.cwd(), 'dist', 'src', 'cli', 'user-create.js');
  const result = spawnSync(process.execPath, [script, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      ...env,
      USER_PASSWORD: password,
    },
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status === 0) return true;
  if (/already|exists/i.test(output)) return false;
  throw new Error(`user:create failed (${result.status}): ${output.trim().slice(-500)}`);
}

/**
 * Makes sure the benchmark admin exists in the app database the given environment points at;
 * an account that exists already is fine.
 */
export function ensureBenchAdmin(env: Record<string, string>): void {
  createAccount(['--email', BENCH_ADMIN.email], BENCH_ADMIN.password, {
    JWT_SECRET: BENCH_JWT_SECRET,
    ...env,
  });
}

/** Logs in and answers the access token. */
export async function login(
  baseUrl: string,
  credentials: { email: string; password: string } = BENCH_ADMIN,
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
    signal: AbortSignal.timeout(10_000),
  });
  const body: unknown = await response.json();
  if (response.status !== 200 || !isRecord(body) || typeof body.accessToken !== 'string') {
    throw new Error(`login failed: HTTP ${response.status}`);
  }
  return body.accessToken;
}
