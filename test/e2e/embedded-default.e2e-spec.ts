import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What a newcomer gets from `npm install && npm start` with nothing configured: the built
 * service (dist/src/main.js, as `npm start` runs it) starts an embedded PostgreSQL in DATA_DIR,
 * fills the demo diary once, and keeps it across restarts.
 */
describe('the embedded default (npm start with no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-embedded-'));
  let port = 0;
  let child: ChildProcess | undefined;
  let output = '';
  let firstHeadacheTotal = 0;
  /** The demo user's access token (Anna's diary), from the first start. */
  let token = '';
  const DEMO_EMAILS = ['demo@example.com', 'demo+ben@example.com', 'demo+mia@example.com'];
  const auth = (accessToken = token) => ({ headers: { authorization: `Bearer ${accessToken}` } });

  /** Signs in as a demo user with the default demo password (the one printed at start). */
  async function signIn(email: string): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'demo-password-123' }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function start(): Promise<number> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    delete env.DATABASE_URL_FILE;
    // The embedded default's own key and demo users, whatever other tests left in process.env.
    for (const name of [
      'JWT_SECRET',
      'JWT_SECRET_FILE',
      'APP_DATABASE_URL',
      'DEMO_USER_EMAIL',
      'DEMO_USER_PASSWORD',
    ]) {
      delete env[name];
    }
    const started = Date.now();
    child = spawn(process.execPath, [resolve(__dirname, '../../dist/src/main.js')], { env });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited early:\n${output}`);
      if (Date.now() - started > 60_000) throw new Error(`not ready within 60 s:\n${output}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      if (ready?.status === 200) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SIGTERM, then how the process ended. */
  async function stop(): Promise<string> {
    const running = child;
    const ended = (code: number | null, signal: string | null) => signal ?? `exit ${code}`;
    if (!running) return 'not started';
    if (running.exitCode !== null || running.signalCode !== null) {
      return ended(running.exitCode, running.signalCode);
    }
    const exited = new Promise<string>((r) =>
      running.once('close', (code, signal) => r(ended(code, signal))),
    );
    running.kill('SIGTERM');
    return exited;
  }

  /** Logs leave in batches at least once a second: wait for a line rather than race it. */
  async function logged(pattern: RegExp): Promise<string> {
    for (let waited = 0; waited < 5000 && !pattern.test(output); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return output;
  }

  async function headacheTotal(): Promise<number> {
    const res = await fetch(
      `http://127.0.0.1:${port}/api/health/symptoms?symptom=headache`,
      auth(),
    );
    return ((await res.json()) as { meta: { total: number } }).meta.total;
  }

  beforeAll(async () => {
    port = await new Promise<number>((r) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => r(typeof address === 'object' && address ? address.port : 0));
      });
    });
  });

  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready within a minute with a demo diary of a few thousand entries', async () => {
    const startupMs = await start();
    expect(startupMs).toBeLessThan(60_000);
    expect(await logged(/demo diary filled/)).toMatch(/demo diary filled with \d{4} entries/);
    expect(await logged(/DEMO ONLY/)).toMatch(/sign in as demo@example\.com \/ demo-password-123/);
    const anonymous = await fetch(`http://127.0.0.1:${port}/api/health/symptoms`);
    expect(anonymous.status).toBe(401);
    token = await signIn('demo@example.com');

    const res = await fetch(
      `http://127.0.0.1:${port}/api/health/symptoms?symptom=headache&limit=100`,
      auth(),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { recordedAs: string; symptom: { id: string } }[];
      meta: { total: number };
    };
    expect(body.meta.total).toBeGreaterThan(50);
    firstHeadacheTotal = body.meta.total;
    expect(body.data.every((e) => e.symptom.id === 'headache')).toBe(true);
    // However it was typed: more than one spelling comes back under the one concept.
    expect(new Set(body.data.map((e) => e.recordedAs)).size).toBeGreaterThan(1);

    // Each demo user counts their own person's entries; together, the whole demo diary.
    const counts = new Map<string, number>();
    for (const email of DEMO_EMAILS) {
      const catalog = (await (
        await fetch(
          `http://127.0.0.1:${port}/api/health/symptoms/catalog`,
          auth(await signIn(email)),
        )
      ).json()) as { data: { id: string; entryCount: number }[] };
      for (const c of catalog.data) counts.set(c.id, (counts.get(c.id) ?? 0) + c.entryCount);
    }
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThan(2000);
    for (const id of ['migraine', 'nausea', 'back_pain', 'fatigue', 'cough']) {
      expect(counts.get(id)).toBeGreaterThan(10);
    }
  });

  it('never logs symptom names, notes or query strings', async () => {
    expect(await logged(/"path":"\/api\/health\/symptoms\/catalog"/)).toContain(
      '"path":"/api/health/symptoms"',
    );
    expect(output).not.toContain('symptom=headache');
    expect(output).not.toMatch(/"sym"|"notes"|Headache/);
    expect(output).not.toContain(token);
  });

  it('shuts down gracefully on SIGTERM and stops its PostgreSQL', async () => {
    expect(await stop()).toBe('exit 0');
    expect(output).toMatch(/embedded PostgreSQL stopped/);
    expect(output).toMatch(/shut down cleanly/);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('keeps the diary across a restart instead of filling it again', async () => {
    output = '';
    await start();
    // The JWT key generated into DATA_DIR is reused: a token of the first start still works.
    expect(await headacheTotal()).toBe(firstHeadacheTotal);
    expect(await logged(/listening on/)).not.toMatch(/demo diary filled/);
    expect(await stop()).toBe('exit 0');
  });
});
