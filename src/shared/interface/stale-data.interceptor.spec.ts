import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { defer, firstValueFrom, from } from 'rxjs';
import { FreshnessContext, StaleDataInterceptor } from './stale-data.interceptor';

/** The same contract as RequestFreshness (shared/infrastructure, out of reach of interface code). */
class TestFreshness extends FreshnessContext {
  private readonly storage = new AsyncLocalStorage<{ stale: boolean; asOf?: Date }>();
  run<T>(fn: () => T): T {
    return this.storage.run({ stale: false }, fn);
  }
  markStale(asOf: Date): void {
    const state = this.storage.getStore();
    if (state) Object.assign(state, { stale: true, asOf });
  }
  current() {
    return this.storage.getStore();
  }
}

const AS_OF = new Date('2026-03-10T14:29:58.120Z');

describe('StaleDataInterceptor', () => {
  const freshness = new TestFreshness();
  const interceptor = new StaleDataInterceptor(freshness);

  function call(
    handler: () => Promise<unknown>,
    type = 'http',
  ): Promise<{ body: unknown; headers: Record<string, string> }> {
    const headers: Record<string, string> = {};
    const reply = {
      header: (name: string, value: string) => {
        headers[name] = value;
        return reply;
      },
    };
    const context = {
      getType: () => type,
      switchToHttp: () => ({ getResponse: () => reply }),
    } as unknown as ExecutionContext;
    // Like Nest: the handler runs when the observable is subscribed.
    const next: CallHandler = { handle: () => defer(() => from(handler())) };
    return firstValueFrom(interceptor.intercept(context, next)).then((body) => ({
      body,
      headers,
    }));
  }

  /** A handler that reads the diary: the read marks the request stale after an await. */
  const staleHandler = (body: unknown) => async () => {
    await new Promise((resolve) => setImmediate(resolve));
    freshness.markStale(AS_OF);
    await Promise.resolve();
    return body;
  };

  it('leaves a fresh answer exactly as it was', async () => {
    const body = { data: [1], meta: { total: 1, page: 1, limit: 20 } };
    const result = await call(() => Promise.resolve(body));
    expect(result.body).toBe(body);
    expect(result.headers).toEqual({});
  });

  it('merges the stale marker into an existing meta (the list page) and sets the headers', async () => {
    const result = await call(staleHandler({ data: [1], meta: { total: 1, page: 1, limit: 20 } }));
    expect(result.body).toEqual({
      data: [1],
      meta: { total: 1, page: 1, limit: 20, stale: true, asOf: '2026-03-10T14:29:58.120Z' },
    });
    expect(result.headers).toEqual({
      'x-data-stale': 'true',
      'x-data-as-of': '2026-03-10T14:29:58.120Z',
    });
  });

  it('adds a meta to an object without one (a statistic)', async () => {
    const result = await call(staleHandler({ count: 4, days: 3 }));
    expect(result.body).toEqual({
      count: 4,
      days: 3,
      meta: { stale: true, asOf: '2026-03-10T14:29:58.120Z' },
    });
  });

  it('only sets the headers on a body that is not an object', async () => {
    const result = await call(staleHandler([1, 2]));
    expect(result.body).toEqual([1, 2]);
    expect(result.headers['x-data-stale']).toBe('true');
  });

  it('keeps concurrent requests apart', async () => {
    const [stale, fresh] = await Promise.all([
      call(staleHandler({ count: 1 })),
      call(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return { count: 2 };
      }),
    ]);
    expect(stale.headers['x-data-stale']).toBe('true');
    expect(fresh).toEqual({ body: { count: 2 }, headers: {} });
  });

  it('passes other kinds of context through', async () => {
    const result = await call(() => Promise.resolve({ count: 1 }), 'rpc');
    expect(result).toEqual({ body: { count: 1 }, headers: {} });
  });
});
