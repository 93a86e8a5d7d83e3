import { Client } from 'pg';
import type { Environment } from '../config/environment';

/** A database the process cannot start without (the diary, the app's own tables). */
export interface StartupDependency {
  readonly name: string;
  readonly url: string;
}

export interface StartupLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WaitOptions {
  /** How long to keep trying in all; 0 tries once. */
  readonly budgetMs: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly connectTimeoutMs?: number;
  readonly log: StartupLog;
  /** Seams for the unit test. */
  readonly probe?: (dependency: StartupDependency, timeoutMs: number) => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Errors that mean "not up yet": worth waiting for. Anything else (a wrong password) is not. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P03', // the database system is starting up / shutting down
  '53300', // too many connections
]);

/** Errors are told apart by shape, not class: pg's may come from another realm (jest's vm). */
function errorParts(error: unknown): { code?: string; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : 'unknown error',
  };
}

export function isTransient(error: unknown): boolean {
  const { code, message } = errorParts(error);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  // pg's own connection timeout and a server that closed the socket while starting.
  return /timeout|Connection terminated/i.test(message);
}

/** host:port of a URL, never its credentials or query (safe to log). */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

function reason(error: unknown): string {
  const { code, message } = errorParts(error);
  return code ?? message;
}

async function probePostgres(dependency: StartupDependency, timeoutMs: number): Promise<void> {
  const client = new Client({
    connectionString: dependency.url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'symptom-diary-startup',
  });
  // A refused connection also emits 'error' on some paths: never let it become uncaught.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Waits until every database answers, retrying with exponential backoff (0.5 s doubling up to
 * 10 s by default) within `budgetMs`, with a warning per failed attempt naming the dependency,
 * its host and the reason. Returns at once on success; throws when the budget is spent or on an
 * error that waiting will not fix (authentication, a missing database), so the process exits 1
 * with a clear message (and Compose's restart policy tries again later).
 */
export async function waitForDependencies(
  dependencies: readonly StartupDependency[],
  options: WaitOptions,
): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const probe = options.probe ?? probePostgres;
  const initialDelay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const connectTimeout = options.connectTimeoutMs ?? 3000;
  const deadline = now() + options.budgetMs;

  for (const dependency of dependencies) {
    const target = describeTarget(dependency.url);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await probe(dependency, connectTimeout);
        if (attempt > 1) {
          options.log.info(
            { dependency: dependency.name, target, attempts: attempt },
            `${dependency.name} is reachable at ${target} after ${attempt} attempts`,
          );
        }
        break;
      } catch (error) {
        if (!isTransient(error)) {
          throw new Error(`${dependency.name} at ${target} refused us: ${reason(error)}`, {
            cause: error,
          });
        }
        const delay = Math.min(maxDelay, initialDelay * 2 ** (attempt - 1));
        const left = deadline - now();
        if (left < delay) {
          throw new Error(
            `${dependency.name} at ${target} still unreachable after ${attempt} attempts ` +
              `(${reason(error)}); gave up (STARTUP_WAIT_SECONDS=${Math.round(options.budgetMs / 1000)})`,
            { cause: error },
          );
        }
        options.log.warn(
          {
            dependency: dependency.name,
            target,
            attempt,
            reason: reason(error),
            retryInMs: delay,
            leftMs: left,
          },
          `waiting for ${dependency.name} at ${target} (${reason(error)}): attempt ${attempt}, ` +
            `next in ${(delay / 1000).toFixed(1)} s, ${Math.round(left / 1000)} s left`,
        );
        await sleep(delay);
      }
    }
  }
}

/**
 * What a process must reach before it boots: the API its diary (DATA_SOURCE=direct with
 * DATABASE_URL) and its own tables (APP_DATABASE_URL); the bridge the diary. The embedded default
 * (no DATABASE_URL) and the bridge client (DATA_SOURCE=bridge: the API starts and reports the
 * bridge in /health/ready until it answers) wait for nothing.
 */
export function startupDependencies(
  env: Pick<Environment, 'DATA_SOURCE' | 'DATABASE_URL' | 'APP_DATABASE_URL'>,
  role: 'api' | 'bridge',
): StartupDependency[] {
  const dependencies: StartupDependency[] = [];
  const needsDiary = role === 'bridge' || env.DATA_SOURCE === 'direct';
  if (needsDiary && env.DATABASE_URL)
    dependencies.push({ name: 'diary database', url: env.DATABASE_URL });
  if (role === 'api' && env.APP_DATABASE_URL && env.APP_DATABASE_URL !== env.DATABASE_URL) {
    dependencies.push({ name: 'app database', url: env.APP_DATABASE_URL });
  }
  return dependencies;
}
