import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run check:sqlmap` (docs/security.md, "sqlmap"): runs the Debian `sqlmap` in batch mode
 * against the main endpoints of a running instance and fails when it reports any injectable
 * parameter, or when a target could not be tested at all.
 *
 * Without SQLMAP_TARGET_URL it starts the built service itself (dist/src/main.js, the embedded
 * default: its own PostgreSQL in a temporary DATA_DIR, the demo diary and users) on a free
 * loopback port, and stops it afterwards. With SQLMAP_TARGET_URL it scans that instance, signed
 * in as SQLMAP_EMAIL / SQLMAP_PASSWORD (default: the demo user).
 *
 * The scanned instance must not block or throttle the scanner, or sqlmap would test nothing but
 * 403s and 429s: the instance started here allowlists every address for the abuse detection
 * (ABUSE_ALLOWLIST=0.0.0.0/0,::/0: every payload is still examined and logged, never blocked),
 * raises the rate limit and the sign-in lockout, and trusts X-Forwarded-For from loopback, where
 * sqlmap's `xforwardedfor` tamper gives each payload an address of its own (so the login route's
 * 5-a-minute limit per address does not answer 429 to the scan).
 */

export interface SqlmapTarget {
  readonly name: string;
  /** Path and query string (GET), or path (POST with `body`). */
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** Send the bearer token (every endpoint but the login). */
  readonly authenticated: boolean;
  /** Answers sqlmap must not stop at (a failed sign-in is a 401 by design). */
  readonly ignoreCodes?: readonly number[];
}

export interface SqlmapResult {
  readonly target: string;
  readonly injectable: boolean;
  /** sqlmap finished its tests of every parameter of the target. */
  readonly tested: boolean;
  readonly seconds: number;
  /** The lines that matter (findings, errors), for the report. */
  readonly notes: string[];
}

/**
 * The main endpoints (docs/openapi.json) with valid values for every parameter sqlmap tries,
 * slowest first (each sign-in hashes a password).
 */
export function mainTargets(conversationId: string, credentials: Credentials): SqlmapTarget[] {
  return [
    {
      name: 'POST /api/auth/login',
      path: '/api/auth/login',
      body: { email: credentials.email, password: credentials.password },
      authenticated: false,
      ignoreCodes: [401],
    },
    {
      name: 'GET /api/health/symptoms',
      path:
        '/api/health/symptoms?symptom=migraine&exclude=nausea&from=2026-10-01&to=2026-11-01' +
        '&minSeverity=1&maxSeverity=9&page=1&limit=10&sort=-occurredAt&name=headache&person=Anna',
      authenticated: true,
    },
    {
      name: 'GET /api/health/symptoms/stats/count',
      path: '/api/health/symptoms/stats/count?symptom=migraine&from=2026-10-01&to=2026-11-01',
      authenticated: true,
    },
    {
      name: 'GET /api/health/symptoms/stats/summary',
      path: '/api/health/symptoms/stats/summary?from=2026-10-01&to=2026-11-01',
      authenticated: true,
    },
    {
      name: 'POST /api/conversations',
      path: '/api/conversations',
      body: { timezone: 'Europe/Berlin' },
      authenticated: true,
    },
    {
      name: 'POST /api/conversations/{id}/messages',
      path: `/api/conversations/${conversationId}/messages`,
      body: { text: 'how many headaches did I have last month?' },
      authenticated: true,
    },
    {
      name: 'POST /api/nlu/parse',
      path: '/api/nlu/parse',
      body: { text: 'how bad were my migraines in october?', timezone: 'Europe/Berlin' },
      authenticated: true,
    },
  ];
}

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

const FINDING =
  /identified the following injection point|is vulnerable|appears to be '.*' injectable/i;
const ALL_CLEAN = /all tested parameters do not appear to be injectable/i;

/** Runs sqlmap against one target (level 1, risk 1: a few minutes for all targets at most). */
export async function runSqlmap(
  baseUrl: string,
  token: string,
  target: SqlmapTarget,
): Promise<SqlmapResult> {
  const outputDir = mkdtempSync(join(tmpdir(), 'sqlmap-'));
  const args = [
    '--batch',
    '--disable-coloring',
    '--flush-session',
    `--output-dir=${outputDir}`,
    '--level=1',
    '--risk=1',
    '--threads=4',
    '--timeout=10',
    '--retries=1',
    '--tamper=xforwardedfor',
    '-u',
    `${baseUrl}${target.path}`,
  ];
  const headers: string[] = [];
  if (target.authenticated) headers.push(`Authorization: Bearer ${token}`);
  if (target.body !== undefined) {
    headers.push('Content-Type: application/json');
    args.push(`--data=${JSON.stringify(target.body)}`);
  }
  if (headers.length > 0) args.push(`--headers=${headers.join('\n')}`);
  if (target.ignoreCodes) args.push(`--ignore-code=${target.ignoreCodes.join(',')}`);
  const started = Date.now();
  try {
    const output = await run('sqlmap', args);
    const lines = output.split('\n');
    const notes = lines.filter(
      (line) =>
        FINDING.test(line) || /\[(CRITICAL|ERROR)\]/.test(line) || /might be injectable/.test(line),
    );
    return {
      target: target.name,
      injectable: FINDING.test(output),
      tested: ALL_CLEAN.test(output) || FINDING.test(output),
      seconds: Math.round((Date.now() - started) / 1000),
      notes: notes.map((line) => line.replace(/Bearer \S+/g, 'Bearer ***').slice(0, 300)),
    };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolvePromise(output));
  });
}

/** Signs in and starts a conversation: what the targets need. */
export async function prepare(
  baseUrl: string,
  credentials: Credentials,
): Promise<{ token: string; conversationId: string }> {
  const signIn = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.10' },
    body: JSON.stringify(credentials),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status}`);
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const started = await fetch(`${baseUrl}/api/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: '{}',
  });
  if (started.status !== 201) throw new Error(`starting a conversation failed: ${started.status}`);
  const { id } = (await started.json()) as { id: string };
  return { token: accessToken, conversationId: id };
}

/** Scans every main target, three at a time (the sign-in, the slowest, first). */
export async function scanMainEndpoints(
  baseUrl: string,
  credentials: Credentials,
  log: (line: string) => void = () => undefined,
): Promise<SqlmapResult[]> {
  const { token, conversationId } = await prepare(baseUrl, credentials);
  const queue = [...mainTargets(conversationId, credentials)];
  const results: SqlmapResult[] = [];
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      const result = await runSqlmap(baseUrl, token, target);
      log(
        `${result.injectable ? 'INJECTABLE' : result.tested ? 'clean' : 'NOT TESTED'}  ${result.target}  (${result.seconds} s)`,
      );
      for (const note of result.notes) log(`    ${note}`);
      results.push(result);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

/**
 * The environment of an instance sqlmap may scan: nothing blocks or throttles the scanner (see
 * above); everything else as configured.
 */
export const SCANNABLE_ENV: Readonly<Record<string, string>> = {
  ABUSE_ALLOWLIST: '0.0.0.0/0,::/0',
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
};

async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the built service on the embedded default, scannable; answers its URL and a stop. */
async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqlmap-data-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...SCANNABLE_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  };
  for (const name of ['DATABASE_URL', 'DATABASE_URL_FILE', 'APP_DATABASE_URL', 'REDIS_URL']) {
    delete env[name];
  }
  for (const name of ['JWT_SECRET', 'JWT_SECRET_FILE', 'DEMO_USER_EMAIL', 'DEMO_USER_PASSWORD']) {
    delete env[name];
  }
  const child: ChildProcess = spawn(process.execPath, [resolve(__dirname, '..', 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      await closed;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const started = Date.now(); ;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the service exited early: ${errors}`);
    }
    if (Date.now() - started > 120_000) {
      await stop();
      throw new Error('the service was not ready within 120 s');
    }
    const ready = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (ready?.status === 200) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<number> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const credentials = {
    email: process.env.SQLMAP_EMAIL ?? 'demo@example.com',
    password: process.env.SQLMAP_PASSWORD ?? 'demo-password-123',
  };
  const given = process.env.SQLMAP_TARGET_URL;
  const instance = given
    ? { url: given.replace(/\/$/, ''), stop: () => Promise.resolve() }
    : await startEmbedded();
  log(`sqlmap against ${instance.url} (level 1, risk 1)`);
  const started = Date.now();
  try {
    const results = await scanMainEndpoints(instance.url, credentials, log);
    const injectable = results.filter((r) => r.injectable);
    const untested = results.filter((r) => !r.tested);
    log(
      `${results.length} targets in ${Math.round((Date.now() - started) / 1000)} s: ` +
        `${injectable.length} injectable, ${untested.length} not tested`,
    );
    return injectable.length === 0 && untested.length === 0 ? 0 : 1;
  } finally {
    await instance.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `check:sqlmap failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
