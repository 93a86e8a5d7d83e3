import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, map } from 'rxjs';

/** The header saying that the answer comes from the cache during an outage of the diary. */
export const STALE_HEADER = 'x-data-stale';
/** When the oldest cached answer used was read from the diary (ISO 8601). */
export const AS_OF_HEADER = 'x-data-as-of';

/**
 * The per-request freshness context the interceptor needs (RequestFreshness in
 * shared/infrastructure, bound by the module: interface code never imports infrastructure).
 */
export abstract class FreshnessContext {
  abstract run<T>(fn: () => T): T;
  abstract current(): { readonly stale: boolean; readonly asOf?: Date } | undefined;
}

/**
 * Runs every HTTP handler in its own freshness context and, when a diary read of the request was
 * answered from the cache because the diary was down, tells the client: `X-Data-Stale: true`,
 * `X-Data-As-Of`, and on object bodies `meta.stale` and `meta.asOf` (merged into an existing
 * `meta` such as a page's). Fresh answers are left exactly as they were.
 */
@Injectable()
export class StaleDataInterceptor implements NestInterceptor {
  constructor(private readonly freshness: FreshnessContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return new Observable<unknown>((subscriber) =>
      this.freshness.run(() =>
        next
          .handle()
          .pipe(map((body: unknown) => this.mark(body, reply)))
          .subscribe(subscriber),
      ),
    );
  }

  private mark(body: unknown, reply: FastifyReply): unknown {
    const freshness = this.freshness.current();
    if (!freshness?.stale) return body;
    const asOf = freshness.asOf?.toISOString();
    void reply.header(STALE_HEADER, 'true');
    if (asOf !== undefined) void reply.header(AS_OF_HEADER, asOf);
    if (!isPlainObject(body)) return body;
    const marker = asOf === undefined ? { stale: true } : { stale: true, asOf };
    const meta = body.meta;
    if (meta === undefined) return { ...body, meta: marker };
    if (isPlainObject(meta)) return { ...body, meta: { ...meta, ...marker } };
    return body;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
