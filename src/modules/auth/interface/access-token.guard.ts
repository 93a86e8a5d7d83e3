import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../../shared/interface/public.decorator';
import { AuthService } from '../application/auth.service';
import { AdminRequiredError, MissingTokenError } from '../domain/auth-errors';
import { ADMIN_ONLY, CALLER, RequestWithCaller } from './auth.decorators';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

interface HttpRequest extends RequestWithCaller {
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
