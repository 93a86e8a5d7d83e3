import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Dispatcher, request } from 'undici';
import { QUERY_PATH, signRequest } from '../../libs/bridge-protocol/src';
import { createBridgeApp } from '../../src/modules/bridge/server/create-bridge-app';

/** Variables a test bridge starts without unless the test sets them (the shell's are ignored). */
const BRIDGE_SERVER_VARIABLES = [
  'BRIDGE_PORT',
  'BRIDGE_HOST',
  'BRIDGE_TLS_CERT',
  'BRIDGE_TLS_KEY',
  'BRIDGE_TLS_CLIENT_CA',
  'BRIDGE_ALLOW_PLAINTEXT',
  'BRIDGE_KEYS',
  'BRIDGE_KEYS_FILE',
  'BRIDGE_MAX_CONCURRENCY',
  'BRIDGE_MAX_RPS',
];

/** An environment for a bridge: a value sets the variable, undefined unsets it. */
export type BridgeEnv = Record<string, string | undefined>;

export interface RunningBridge {
  readonly app: NestFastifyApplication;
  /** `https://127.0.0.1:<port>` (http with BRIDGE_ALLOW_PLAINTEXT and no TLS files). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function applyEnv(target: NodeJS.ProcessEnv, env: BridgeEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete target[name];
    else target[name] = value;
  }
}

/**
 * Boots the bridge in this process exactly as bridge-main.ts builds it (same adapter, TLS, body
 * handling, guard, filter), on a free loopback port. The environment is applied while the app is
 * built and restored afterwards, so bridges of one test file do not leak settings into each other.
 * Rejects with the startup error (e.g. no keys, no TLS) without listening.
 */
export async function startBridge(env: BridgeEnv): Promise<RunningBridge> {
  const saved = { ...process.env };
  applyEnv(process.env, Object.fromEntries(BRIDGE_SERVER_VARIABLES.map((n) => [n, undefined])));
  applyEnv(process.env, { LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  let app: NestFastifyApplication;
  try {
    ({ app } = await createBridgeApp());
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { app, url, port: Number(new URL(url).port), close: () => app.close() };
}

export interface SpawnedBridge {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (SIGKILL after 10 s) unless it already exited; safe to call twice. */
  close(): Promise<void>;
}

const BRIDGE_MAIN = resolve(__dirname, '../../dist/src/bridge-main.js');

/** Resolves with how the process ended. */
export function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

/**
 * Runs the built bridge (`dist/src/bridge-main.js`, as `npm run start:bridge` does: build it with
 * `npx tsc -p tsconfig.build.json`) as a real child process on a free loopback port, and resolves
 * when it listens, with its URL. For kill and restart tests. LOG_LEVEL defaults to info: the
 * listening line is how the port is learnt. Rejects (and leaves no process) when it exits first.
 */
export async function spawnBridge(
  env: BridgeEnv,
  options: { timeoutMs?: number } = {},
): Promise<SpawnedBridge> {
  if (!existsSync(BRIDGE_MAIN)) {
    throw new Error(`${BRIDGE_MAIN} is missing: run npx tsc -p tsconfig.build.json first`);
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.NODE_OPTIONS;
  applyEnv(childEnv, Object.fromEntries(BRIDGE_SERVER_VARIABLES.map((n) => [n, undefined])));
  applyEnv(childEnv, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    BRIDGE_PORT: '0',
    BRIDGE_HOST: '127.0.0.1',
    ...env,
  });
  const child = spawn(process.execPath, [BRIDGE_MAIN], { env: childEnv });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = exited(child);

  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(timer);
  };

  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  let url: string | undefined;
  while (url === undefined) {
    const match = /"msg":"bridge listening on (https?:\/\/[^"\s]+)"/.exec(output);
    if (match) {
      url = match[1].replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
      break;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the bridge exited before listening:\n${output}`);
    }
    if (Date.now() - started > timeoutMs) {
      await close();
      throw new Error(`the bridge did not listen within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    kill: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return ended;
    },
    close,
  };
}

export interface SignedCallOptions {
  keyId: string;
  secret: string;
  /** Defaults: POST, QUERY_PATH, no extra headers, `application/json`. */
  method?: string;
  path?: string;
  body?: string | Buffer;
  /** Headers added after signing (e.g. to tamper with a signed one). */
  headers?: Record<string, string | undefined>;
  /** Sign something other than what is sent (tampering tests). */
  sign?: { method?: string; path?: string; body?: string | Buffer; now?: number; nonce?: string };
}

export interface BridgeAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T>(): T;
}

/** Sends one signed request with undici through the given dispatcher (an Agent with the CA). */
export async function callBridge(
  url: string,
  dispatcher: Dispatcher,
  options: SignedCallOptions,
): Promise<BridgeAnswer> {
  const method = options.method ?? 'POST';
  const path = options.path ?? QUERY_PATH;
  const body = options.body ?? '';
  const signed = signRequest({
    keyId: options.keyId,
    secret: options.secret,
    method: options.sign?.method ?? method,
    pathWithQuery: options.sign?.path ?? path,
    body: options.sign?.body ?? body,
    now: options.sign?.now,
    nonce: options.sign?.nonce,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...signed };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const response = await request(`${url}${path}`, {
    dispatcher,
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** A signed `POST /bridge/v1/query` of `{ name, params }`. */
export function queryBridge(
  url: string,
  dispatcher: Dispatcher,
  key: { keyId: string; secret: string },
  name: string,
  params: Record<string, unknown> = {},
): Promise<BridgeAnswer> {
  return callBridge(url, dispatcher, { ...key, body: JSON.stringify({ name, params }) });
}
