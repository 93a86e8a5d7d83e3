import { AsyncLocalStorage } from 'node:async_hooks';

/** What a request has learnt about the age of the data it answers with. */
export interface Freshness {
  /** True when at least one read was answered from the cache because the source failed. */
  readonly stale: boolean;
  /** When the oldest stale answer used was stored (set whenever `stale` is true). */
  readonly asOf?: Date;
}

interface State {
  stale: boolean;
  asOf?: Date;
}

/**
 * The per-request freshness context. The resilient diary executor marks a request stale when it
 * answers from the cache during an outage; the HTTP edge reads the mark to tell the client (a
 * header and `meta.stale`). AsyncLocalStorage carries it through every await of the request
 * without threading a parameter through the use cases, which must not know about caching.
 * Framework-free (node:async_hooks only).
 */
export class RequestFreshnessContext {
  private readonly storage = new AsyncLocalStorage<State>();

  /** Runs `fn` (and all the async work it starts) in a new, fresh context. */
  run<T>(fn: () => T): T {
    return this.storage.run({ stale: false }, fn);
  }

  /**
   * Marks the current request as answered with data stored at `storedAt`; the oldest time wins.
   * Outside a context (a CLI, a test without the interceptor) it does nothing.
   */
  markStale(storedAt: Date): void {
    const state = this.storage.getStore();
    if (!state) return;
    state.stale = true;
    if (state.asOf === undefined || storedAt.getTime() < state.asOf.getTime()) {
      state.asOf = storedAt;
    }
  }

  /** The current request's freshness, or undefined outside a context. */
  current(): Freshness | undefined {
    const state = this.storage.getStore();
    if (!state) return undefined;
    return state.asOf === undefined
      ? { stale: state.stale }
      : { stale: state.stale, asOf: state.asOf };
  }
}

/** The process-wide context (one AsyncLocalStorage for every request). */
export const RequestFreshness = new RequestFreshnessContext();
