import { ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerRequest } from '@nestjs/throttler';
import { THROTTLER_LIMIT } from '@nestjs/throttler/dist/throttler.constants';
import {
  clientBudgetKey,
  isUnthrottledPath,
  RATE_LIMIT_DECIDED,
  rateLimitDetail,
  rateLimitHeaders,
  routeBudgetKey,
} from '../domain/rate-limit';
import { RateLimitMetrics } from '../application/rate-limit-metrics';

interface HttpRequest {
  url?: string;
  routeOptions?: { url?: string };
  [RATE_LIMIT_DECIDED]?: boolean;
}

interface HttpReply {
  header(name: string, value: string): unknown;
}

/**
 * @nestjs/throttler's guard, adapted to this API:
 * - `X-RateLimit-Limit`, `-Remaining` and `-Reset` on every counted answer, the refused ones
 *   included, plus `Retry-After` on a 429 (the stock guard sends only `Retry-After` then);
 * - a refusal is a ThrottlerException (429), which the ProblemDetailsFilter answers as
 *   problem+json with the code `REQUEST.RATE_LIMITED`;
 * - one budget per client address for all routes without a limit of their own (the stock guard
 *   counts each route apart, which would multiply the budget by the number of routes); a route
 *   with its own `@Throttle` limit (a login, the CSP reports) counts apart;
 * - probes (/health/*, /metrics) are never counted, like routes marked @SkipThrottle.
 * The client address is Fastify's `request.ip`: the peer, or X-Forwarded-For only when the peer
 * is in TRUST_PROXY.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** rate_limit_rejections_total (a property: the stock guard's constructor stays as it is). */
  @Optional()
  @Inject(RateLimitMetrics)
  private readonly metrics?: RateLimitMetrics;

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    // Tells the hook for answers outside the guard's reach (http-security.ts) not to count it.
    request[RATE_LIMIT_DECIDED] = true;
    return super.canActivate(context);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const { url } = context.switchToHttp().getRequest<HttpRequest>();
    return Promise.resolve(isUnthrottledPath(pathOf(url)));
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    const ownLimit = this.reflector.getAllAndOverride<unknown>(THROTTLER_LIMIT + name, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (ownLimit === undefined) return clientBudgetKey(name, tracker);
    return routeBudgetKey(name, `${context.getClass().name}.${context.getHandler().name}`, tracker);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, getTracker, generateKey } = props;
    const name = props.throttler.name ?? 'default';
    const http = context.switchToHttp();
    const reply = http.getResponse<HttpReply>();
    const tracker = await getTracker(http.getRequest<Record<string, unknown>>(), context);
    const key = generateKey(context, tracker, name);
    const outcome = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    for (const [header, value] of Object.entries(rateLimitHeaders(limit, outcome, name))) {
      reply.header(header, value);
    }
    if (outcome.isBlocked) {
      const route = http.getRequest<HttpRequest>().routeOptions?.url ?? 'unmatched';
      this.metrics?.rejected(route);
      throw new ThrottlerException(rateLimitDetail(outcome.timeToBlockExpire));
    }
    return true;
  }
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
