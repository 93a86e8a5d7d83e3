import {
  DependencyTimeoutError,
  DependencyUnavailableError,
} from '../../../shared/domain/domain-error';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  severity?: unknown;
  driverError?: unknown;
}

/** A PostgreSQL error raised while connecting (not by a query: TypeORM wraps those). */
function isConnectError(error: DriverErrorShape): boolean {
  return (
    error.name !== 'QueryFailedError' &&
    error.driverError === undefined &&
    typeof error.severity === 'string' &&
    typeof error.code === 'string'
  );
}

/**
 * Maps a failure of the diary database to what the service can say about it: a timeout (504),
 * an unreachable database (503), or nothing (the caller rethrows: a genuine bug answers 500).
 */
export function translateDiaryError(error: unknown): Error | undefined {
  const outer = (error ?? {}) as DriverErrorShape;
  const inner = (outer.driverError ?? outer) as DriverErrorShape;
  const code = typeof inner.code === 'string' ? inner.code : '';
  const message = typeof inner.message === 'string' ? inner.message : '';
  if (code === '57014' || /query read timeout/i.test(message)) {
    return new DependencyTimeoutError(
      'DIARY.TIMEOUT',
      'The diary took too long to answer; the query was cancelled. Try again in a moment.',
      5,
    );
  }
  if (
    isConnectError(outer) ||
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') ||
    /connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Connection terminated unexpectedly|cannot use a pool after calling end/i.test(
      message,
    )
  ) {
    return new DependencyUnavailableError(
      'DIARY.UNAVAILABLE',
      'The diary database cannot be reached right now. Try again shortly.',
      10,
    );
  }
  return undefined;
}
