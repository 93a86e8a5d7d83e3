import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from '../../../shared/interface/api-problems.decorator';
import { MissingTokenError } from '../domain/auth-errors';
import type { Caller } from '../domain/caller';

export const ADMIN_ONLY = 'auth:adminOnly';
/** Where the guard leaves the caller on the request. */
export const CALLER = Symbol.for('symptom-diary.caller');

export interface RequestWithCaller {
  [CALLER]?: Caller;
}

/** Documents that a route needs a bearer access token (and answers 401 without one). */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ApiProblems(401));
}

/** The route needs the admin role: 403 for a signed-in user who is not an admin. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiBearerAuth(), ApiProblems(401, 403));
}

/** The signed-in caller of this request (set by the access-token guard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>()[CALLER];
  if (!caller) throw new MissingTokenError();
  return caller;
});
