/** One problem with one input, named so the client can point at it. */
export interface InvalidParameter {
  readonly name: string;
  readonly reason: string;
}

/**
 * The kinds of failure the edge maps to HTTP. Use cases throw DomainErrors with a stable code
 * (e.g. `SYMPTOM.UNKNOWN_NAME`) and never an HTTP exception.
 */
export type DomainErrorKind =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'timeout'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly invalidParameters: readonly InvalidParameter[] = [],
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidInputError extends DomainError {
  constructor(code: string, message: string, invalidParameters: readonly InvalidParameter[] = []) {
    super(code, 'invalid_input', message, invalidParameters);
  }
}

/** A dependency (the diary database) did not answer; the client may retry later. */
export class DependencyUnavailableError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 'unavailable', message);
  }
}

/** A dependency answered too slowly and the work was cancelled. */
export class DependencyTimeoutError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 'timeout', message);
  }
}

/**
 * The caller is not signed in, or its credentials are not good (401). `challenge` is the
 * `WWW-Authenticate` header the answer carries (RFC 9110: every 401 has one).
 */
export class UnauthenticatedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly challenge: string,
  ) {
    super(code, 'unauthenticated', message);
  }
}

/** Too many attempts (429); the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 'rate_limited', message);
  }
}
