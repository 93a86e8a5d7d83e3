import { Logger } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import {
  QUERY_PATH,
  signRequest,
  type BridgeQueryRequest,
} from '../../../../libs/bridge-protocol/src';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
} from '../../../shared/domain/domain-error';
import {
  DiaryQueryExecutor,
  type DiaryQuery,
  type Json,
} from '../../symptoms/infrastructure/queries/diary-query';
import type { BridgeTransport } from './bridge-transport';

/** The credentials and the bound of one call (from the bridge client configuration). */
export interface BridgeCallOptions {
  readonly keyId: string;
  readonly secret: string;
  /** The whole call, connection and response body included. */
  readonly timeoutMs: number;
}

/** What the executor logs through; Nest's Logger (pino in the app) by default. */
export type BridgeLog = Pick<Logger, 'error' | 'warn'>;

/** A repeated operator warning (bad key, bad certificate, bridge down) is logged this often. */
export const LOG_EVERY_MS = 30_000;

/** What users read when the bridge cannot serve: plain, nothing about the set-up. */
const UNREACHABLE = 'The diary cannot be reached right now. Try again shortly.';

const TLS_FAILURE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_)/;

/** Retry-After as seconds (delta or HTTP date), clamped to 1 s … 1 h; `fallback` when absent. */
export function retryAfterSeconds(
  headers: IncomingHttpHeaders,
  fallback: number,
  now = Date.now(),
): number {
  const raw = headers['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return fallback;
  let seconds: number;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return fallback;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(3600, Math.max(1, seconds));
}

/** The few fields of a problem+json body worth logging (codes and the detail, never params). */
function problemOf(text: string): { code?: string; detail?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return {};
    const { code, detail } = body as { code?: unknown; detail?: unknown };
    return {
      ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
      ...(typeof detail === 'string' ? { detail: detail.slice(0, 500) } : {}),
    };
  } catch {
    return {};
  }
}

type IncomingHttpHeaders = Dispatcher.ResponseData['headers'];

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * DATA_SOURCE=bridge: runs each named diary query on the bridge, one signed HTTPS call bounded by
 * BRIDGE_TIMEOUT_MS. It neither retries nor caches (the resilience decorator around it does);
 * it maps every outcome to a result or a domain error the problem filter knows how to answer.
 * Params, results and bodies never reach the logs: they are health data.
 */
export class BridgeQueryExecutor extends DiaryQueryExecutor {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly transport: BridgeTransport,
    private readonly options: BridgeCallOptions,
    private readonly log: BridgeLog = new Logger('BridgeClient'),
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  async execute<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
  ): Promise<Result> {
    const request: BridgeQueryRequest = { name: query.name, params: query.encodeParams(args) };
    // Serialised once: the bytes signed are the bytes sent.
    const body = JSON.stringify(request);
    const headers = {
      ...signRequest({
        keyId: this.options.keyId,
        secret: this.options.secret,
        method: 'POST',
        pathWithQuery: QUERY_PATH,
        body,
      }),
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const answer = await this.call(query.name, body, headers);
    return this.interpret(query, answer);
  }

  private async call(name: string, body: string, headers: Record<string, string>): Promise<Answer> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.transport.dispatcher.request({
        path: QUERY_PATH,
        method: 'POST',
        headers,
        body,
        signal,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      throw this.transportFailure(name, error, signal);
    }
  }

  private interpret<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    answer: Answer,
  ): Result {
    if (answer.status === 200) return query.decodeResult(this.resultOf(query.name, answer.text));
    throw this.failureOf(query.name, answer);
  }

  /** The error for any answer but 200. */
  private failureOf(name: string, answer: Answer): Error {
    const { status, headers } = answer;
    if (status === 401 || status === 403) {
      this.throttled('error', 'refused', {
        keyId: this.options.keyId,
        status,
        ...problemOf(answer.text),
      })('the bridge refused our signature: check BRIDGE_KEY_ID/BRIDGE_SECRET and the clocks');
      return new DependencyUnavailableError('BRIDGE.REFUSED', UNREACHABLE, 30);
    }
    if (status === 400) {
      // The bridge found our query invalid: a bug on our side (or versions out of step).
      this.log.error(
        { query: name, status, ...problemOf(answer.text) },
        'the bridge rejected a diary query as invalid',
      );
      return new Error(`the bridge rejected diary query "${name}" (400)`);
    }
    if (status === 429) {
      return new DependencyUnavailableError(
        'BRIDGE.BUSY',
        'The diary is busy right now. Try again shortly.',
        retryAfterSeconds(headers, 1, this.clock()),
      );
    }
    if (status === 503) {
      return new DependencyUnavailableError(
        'DIARY.UNAVAILABLE',
        UNREACHABLE,
        retryAfterSeconds(headers, 1, this.clock()),
      );
    }
    if (status === 504) {
      return new DependencyTimeoutError(
        'DIARY.TIMEOUT',
        'The diary took too long to answer; the query was cancelled. Try again in a moment.',
        retryAfterSeconds(headers, 5, this.clock()),
      );
    }
    if (status >= 500) {
      // A proxy in front of the bridge, or the bridge failing: nothing the caller can fix.
      this.throttled('warn', `status-${status}`, { status })('the bridge answered an error');
      return new DependencyUnavailableError('BRIDGE.UNAVAILABLE', UNREACHABLE, 10);
    }
    // 404, 405, 413, 415 …: a wrong BRIDGE_URL or a client out of step with the bridge.
    this.log.error(
      { query: name, status, ...problemOf(answer.text) },
      'the bridge answered an unexpected status: check BRIDGE_URL and the versions',
    );
    return new Error(`the bridge answered diary query "${name}" with ${status}`);
  }

  /** The `result` of a 200 answer, after checking it answers the query that was asked. */
  private resultOf(name: string, text: string): Json {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the bridge answered diary query "${name}" with a body that is not JSON`);
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      (body as { name?: unknown }).name !== name ||
      !('result' in body)
    ) {
      throw new Error(`the bridge answered diary query "${name}" with a malformed envelope`);
    }
    return (body as { result: Json }).result;
  }

  /** Maps a failure to get an answer at all: our timeout, or a connection that failed. */
  private transportFailure(name: string, error: unknown, signal: AbortSignal): Error {
    const code = (error as { code?: unknown } | null)?.code;
    if (
      signal.aborted ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return new DependencyTimeoutError(
        'BRIDGE.TIMEOUT',
        'The diary took too long to answer. Try again in a moment.',
        5,
      );
    }
    // A malformed request is our bug, not the bridge being away.
    if (code === 'UND_ERR_INVALID_ARG') {
      return new Error(`diary query "${name}" could not be sent: ${String(error)}`);
    }
    // Checked by shape: errors of Node's core come from another realm under test runners.
    const errorName = (error as { name?: unknown } | null)?.name;
    const reason =
      typeof code === 'string' ? code : typeof errorName === 'string' ? errorName : 'unknown';
    if (TLS_FAILURE.test(reason)) {
      this.throttled('error', 'tls', { reason })(
        'TLS with the bridge failed: check BRIDGE_URL, BRIDGE_CA and the client certificate',
      );
    } else {
      this.throttled('warn', 'unreachable', { reason })('the bridge cannot be reached');
    }
    return new DependencyUnavailableError('BRIDGE.UNAVAILABLE', UNREACHABLE, 10);
  }

  /** Logs at most once per LOG_EVERY_MS for each kind of trouble. */
  private throttled(
    level: 'error' | 'warn',
    kind: string,
    fields: Record<string, unknown>,
  ): (message: string) => void {
    return (message) => {
      const now = this.clock();
      const last = this.lastLogged.get(kind);
      if (last !== undefined && now - last < LOG_EVERY_MS) return;
      this.lastLogged.set(kind, now);
      this.log[level](fields, message);
    };
  }
}
