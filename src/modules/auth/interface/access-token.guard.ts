import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../../shared/interface/public.decorator';
import { AuthService } from '../application/auth.service';
import { AdminRequiredError, MissingTokenError } from '../domain/auth-errors';
import { ADMIN_ONLY, CALLER, RequestWithCaller } from './auth.decorators';

/**
 * Paths of other modules that answer without a token although they carry no @Public(): the
 * probes (orchestrators do not sign in) and the browsers' CSP reports. @Public() on their
 * controllers would make this list unnecessary.
 */
const PUBLIC_PATHS: readonly string[] = ['/api/csp-reports'];
const PUBLIC_PREFIXES: readonly string[] = ['/health/'];

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

interface HttpRequest extends RequestWithCaller {
  url?: string;
  /** Fastify's matched route pattern (e.g. `/health/live`), not the raw URL. */
  routeOptions?: { url?: string };
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The global guard: every route needs a valid bearer access token unless it is @Public(). The
 * token's user must still exist and be active (AuthService.authenticate). Routes marked
 * @AdminOnly() also need the admin role. Swagger UI and /docs-json are not Nest routes and stay
 * open.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    if (isPublicPath(request.routeOptions?.url ?? pathOf(request.url))) return true;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new MissingTokenError();
    const caller = await this.auth.authenticate(token);
    request[CALLER] = caller;
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && caller.role !== 'admin') {
      throw new AdminRequiredError();
    }
    return true;
  }
}

export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
}

function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.includes(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
