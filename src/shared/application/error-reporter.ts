/**
 * What the exception filter knows about an error it is answering with a 5xx: the error itself
 * and where it happened. `requestValues` are the strings the client sent (query, path parameters,
 * body); they are never stored, only used to cut anything that echoes them out of the message and
 * stack (an utterance in a driver's error message stays out of the store).
 */
export interface ErrorOccurrence {
  readonly error: unknown;
  readonly requestId: string;
  readonly method: string;
  /** The route template (`/api/admin/users/:id`), `unmatched` when no route matched. */
  readonly route: string;
  readonly status: number;
  /** The stable code of the answer (`INTERNAL`, `DIARY.UNAVAILABLE`, …). */
  readonly code: string;
  readonly requestValues: readonly string[];
}

/**
 * Port: captures server-side errors (adapter: the error store, docs/errors.md). Never throws and
 * never waits: the answer to the client must not depend on it. Returns the id given to the
 * error, or undefined when it was not captured (a dependency failure sampled out).
 */
export abstract class ErrorReporter {
  abstract report(occurrence: ErrorOccurrence): string | undefined;
}
