import type { ProblemDetailsDto } from './generated';

/** An RFC 9457 problem (application/problem+json): what every 4xx/5xx of the API answers. */
export type ProblemDetails = ProblemDetailsDto;

/** Whether `value` has the shape of a problem object. */
export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'number' && typeof v.type === 'string' && typeof v.title === 'string';
}

/** A non-2xx answer of the API, with its problem object. */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';

  constructor(
    readonly problem: ProblemDetails,
    readonly response?: Response,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }

  /** The HTTP status. */
  get status(): number {
    return this.problem.status;
  }

  /** The stable error code, e.g. `REQUEST.VALIDATION_FAILED`. */
  get code(): string {
    return this.problem.code;
  }

  /** The invalid parameters of a 400, by name (`{ limit: 'limit must not be greater than 100' }`). */
  get invalidParameters(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.name, e.reason]));
  }
}

/** What a generated function resolves to (its default `responseStyle: 'fields'`). */
export interface ApiResult {
  data?: unknown;
  error?: unknown;
  request?: Request;
  response?: Response;
}

/** The data type of the 2xx branch of a generated function's result. */
export type DataOf<R> = R extends { error: undefined; data: infer D } ? D : never;

/**
 * The data of a 2xx result, or an ApiProblemError for any other answer. An answer that is not a
 * problem+json body (a proxy's HTML error page, the health probes' JSON) becomes a problem with
 * `type: 'about:blank'` and the HTTP status. A request that got no answer at all (network error)
 * throws what fetch threw.
 */
export function unwrap<R extends ApiResult>(result: R): DataOf<R> {
  const { response } = result;
  if (result.error === undefined && response?.ok !== false) return result.data as DataOf<R>;
  if (isProblemDetails(result.error)) throw new ApiProblemError(result.error, response);
  if (!response) throw result.error;
  throw new ApiProblemError(
    {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: typeof result.error === 'string' ? result.error : JSON.stringify(result.error),
      instance: new URL(response.url || 'http://invalid/').pathname,
      code: `HTTP.${response.status}`,
      requestId: response.headers.get('x-request-id') ?? '',
    },
    response,
  );
}

/** `await unwrap(...)` in one call: `const page = await call(listSymptomEntries({ ... }))`. */
export async function call<R extends ApiResult>(pending: Promise<R>): Promise<DataOf<R>> {
  return unwrap(await pending);
}
