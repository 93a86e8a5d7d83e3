import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BuiltService {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** SIGTERM, and the exit code once it has written its last lines and exited. */
  stop(): Promise<number | null>;
  /** SIGKILL if it is still running (for afterAll). */
  kill(): void;
}

/**
 * Runs the built service (`dist/src/main.js`, as deployed: NODE_ENV=production, LOG_LEVEL=info)
 * on a free loopback port with `env` over this process's environment (without the Redis and
 * `_FILE` variables a developer's shell may carry), keeps its output, and resolves once
 * /health/ready answers 200 (at most 30 s).
 */
export async function startBuiltService(env: Record<string, string>): Promise<BuiltService> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  };
  delete childEnv.REDIS_URL;
  delete childEnv.REDIS_URL_FILE;
  delete childEnv.DATABASE_URL_FILE;
  Object.assign(childEnv, env);
  let output = '';
  const running = spawn(process.execPath, [resolve(__dirname, '../../dist/src/main.js')], {
    env: childEnv,
  });
  running.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const service: BuiltService = {
    base: `http://127.0.0.1:${port}`,
    process: running,
    output: () => output,
    stop: () => {
      const ended = new Promise<number | null>((r) => running.once('close', (code) => r(code)));
      running.kill('SIGTERM');
      return ended;
    },
    kill: () => {
      if (running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
    },
  };
  for (const started = Date.now(); ;) {
    if (running.exitCode !== null) throw new Error(`the service exited early:\n${output}`);
    if (Date.now() - started > 30_000) {
      service.kill();
      throw new Error(`not ready within 30 s:\n${output}`);
    }
    const ready = await fetch(`${service.base}/health/ready`).catch(() => undefined);
    if (ready?.status === 200) return service;
    await new Promise((r) => setTimeout(r, 200));
  }
}
